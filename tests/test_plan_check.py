"""The plan check (`implementation-plan`) on documents whose counts are known in advance."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from starter_template.plan_check import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    MARKER,
    PLAN_SECTION,
    REQUIRED_PHASES,
    REQUIRED_SECTIONS,
    REQUIRED_SUBSECTIONS,
    main,
    parse,
    percent,
)

from .helpers import planning_document


def test_required_parts_are_those_of_the_planning_document() -> None:
    """The check requires exactly the numbered parts of docs/planning-document.txt."""
    document = planning_document.structure()
    assert list(REQUIRED_SECTIONS) == document.sections
    assert list(REQUIRED_SUBSECTIONS) == document.subsections
    assert list(REQUIRED_PHASES) == document.phases
    plan_title = next(h for h in document.headings if h.startswith(f"## {PLAN_SECTION}. "))
    assert plan_title == "## 7. Implementation Plan (PHASED)"


def skeleton(bodies: dict[str, str] | None = None) -> str:
    """A plan with every required section, sub-section and phase, holding only `bodies`.

    Keys name where a body goes: "1" (section 1, before its sub-sections), "1.2", "PHASE 3".
    """
    bodies = bodies or {}
    lines = ["# PROJECT IMPLEMENTATION DOCUMENT", ""]
    for section in range(1, 14):
        lines += [f"## {section}. Section {section}", "", bodies.get(str(section), ""), ""]
        for key in REQUIRED_SUBSECTIONS:
            if key.split(".")[0] == str(section):
                lines += [f"### {key} Sub-section {key}", "", bodies.get(key, ""), ""]
        if section == 7:
            for phase in range(13):
                lines += [f"### PHASE {phase} \u2013 Phase {phase}", ""]
                lines += [bodies.get(f"PHASE {phase}", ""), ""]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "implementation.md"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of `text` that contains `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


MIXED_FIELDS = f"""\
- Empty:
- Marked: {MARKER}
- Marked later: Postgres, version {MARKER}
- Filled: yes
- Answered question? By this text
- Open question?
- Group:
  - Child: {MARKER}
  - Other child: done
- {MARKER}
- plain item without a label
"""


def test_skeleton_is_complete_and_has_nothing_to_fill(tmp_path: Path) -> None:
    plan = parse(skeleton())
    assert plan.problems == []
    assert (plan.fields, plan.checklist) == (0, 0)
    assert list(plan.sections) == [str(n) for n in range(1, 14)]
    assert list(plan.phases) == [str(n) for n in range(13)]
    assert main([str(write(tmp_path, skeleton()))]) == EXIT_OK


def test_empty_and_marked_fields_are_counted_exactly() -> None:
    text = skeleton({"1.2": MIXED_FIELDS})
    plan = parse(text)
    section, subsection = plan.sections["1"], plan.subsections["1.2"]
    for part in (section, subsection):
        assert part.fields == 10
        assert [field.label for field in part.unfilled] == [
            "Empty:",
            "Marked:",
            "Marked later:",
            "Open question?",
            "Child:",
            MARKER,
        ]
    assert [field.line for field in section.unfilled][:2] == [
        line_of(text, "- Empty:"),
        line_of(text, "- Marked:"),
    ]
    assert plan.sections["2"].fields == 0
    assert (plan.fields, plan.unfilled) == (10, 6)


def test_answer_lines_after_star_bullets_are_never_structure() -> None:
    answers = (
        "- Primary goals:\n"
        "  * # not a heading\n"
        "  * ## 4. Not a section\n"
        "  * - [ ] not a checklist item\n"
        "  * - Not a field:\n"
        f"  * {MARKER}\n"
    )
    plan = parse(skeleton({"1.3": answers}))
    assert plan.problems == []
    assert (plan.fields, plan.unfilled, plan.checklist) == (1, 0, 0)
    assert plan.sections["4"].line > plan.sections["1"].line


def test_only_markdown_line_breaks_end_a_line() -> None:
    text = skeleton({"1.1": "- Name: A\u2028## 4. Not a section\x0c- [ ] not an item\r\n- Type: B"})
    plan = parse(text)
    assert plan.problems == []
    assert (plan.fields, plan.unfilled, plan.checklist) == (2, 0, 0)


def test_fenced_code_is_not_read() -> None:
    code = (
        "```md\n## 4. Fake section\n- Field:\n- [ ] item\n```\n~~~\n### 9.9 Fake\n~~~\n- After: x\n"
    )
    plan = parse(skeleton({"3.3": code}))
    assert plan.problems == []
    assert (plan.fields, plan.unfilled, plan.checklist) == (1, 0, 0)
    assert "9.9" not in plan.subsections


def test_checklist_items_are_counted_per_phase_and_section() -> None:
    plan = parse(
        skeleton(
            {
                "PHASE 0": "1. **Group**\n   - [x] a\n   - [ ] b\n   - [X] c",
                "PHASE 4": "- [ ] d\n\nTEST:\n- [x] e",
                "13": "- [ ] **f:** g\n- [ ] h",
            }
        )
    )
    assert (plan.phases["0"].checklist, plan.phases["0"].done) == (3, 2)
    assert (plan.phases["4"].checklist, plan.phases["4"].done) == (2, 1)
    assert (plan.phases["1"].checklist, plan.phases["1"].done) == (0, 0)
    assert (plan.sections["7"].checklist, plan.sections["7"].done) == (5, 3)
    assert (plan.sections["13"].checklist, plan.sections["13"].done) == (2, 0)
    assert (plan.checklist, plan.done, plan.fields) == (7, 3, 0)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (("## 4. Section 4", "## Four"), "required section 4 is missing"),
        (
            ("### 3.3 Sub-section 3.3", "### Folder structure"),
            "required sub-section 3.3 is missing",
        ),
        (("### PHASE 12 \u2013 Phase 12", "### Release"), "required PHASE 12 is missing"),
        (("## 13. Section 13", "## 12. Again"), "section 12 appears twice"),
        (("### 9.2 Sub-section 9.2", "### 8.2 Moved"), "sub-section 8.2 is inside section 9"),
        (("### 1.1 Sub-section 1.1", "```\n### 1.1 Sub-section 1.1"), "never closed"),
    ],
    ids=["section", "sub-section", "phase", "duplicate", "misplaced", "open-fence"],
)
def test_damaged_structure_fails(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: tuple[str, str],
    message: str,
) -> None:
    before, after = damage
    text = skeleton()
    assert before in text
    path = write(tmp_path, text.replace(before, after, 1))
    assert main([str(path)]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert message in captured.err
    assert "structure damaged" in captured.out


def test_fully_filled_plan_passes_with_every_section_required(tmp_path: Path) -> None:
    filled = "- Decision: made\n- Group:\n  - Detail: given\n- [x] Done item"
    bodies = dict.fromkeys(REQUIRED_SUBSECTIONS, filled)
    bodies.update({"10": filled, "11": filled, "12": filled, "13": "- [x] Ready"})
    path = write(tmp_path, skeleton(bodies))
    plan = parse(path.read_text())
    assert (plan.unfilled, plan.fields) == (0, 3 * (len(REQUIRED_SUBSECTIONS) + 3))
    assert main(["--require", ",".join(str(n) for n in range(1, 14)), str(path)]) == EXIT_OK


def test_required_sections_with_unfilled_fields_fail_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = skeleton({"1.2": MIXED_FIELDS, "3.2": f"- Language: {MARKER}"})
    path = write(tmp_path, text)
    assert main(["--require", "1,2", str(path)]) == EXIT_FAILED
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 6
    assert errors[0] == (
        f"{path}:{line_of(text, '- Empty:')}: error: "
        'section 1.2 (Sub-section 1.2): "Empty:" is unfilled'
    )
    assert main(["--require", "2", "--require", "3.1", str(path)]) == EXIT_OK
    assert main(["--require", "3.2", str(path)]) == EXIT_FAILED
    assert main([str(path)]) == EXIT_OK  # without --require, unfilled fields are only reported


def test_require_takes_only_section_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--require", "overview"])
    assert exit_info.value.code == EXIT_USAGE
    assert "not a section number" in capsys.readouterr().err


def test_requiring_a_section_the_plan_lacks_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, skeleton())
    assert main(["--require", "2.7", str(path)]) == EXIT_FAILED
    assert "required section 2.7 is not in the plan" in capsys.readouterr().err


def test_missing_plan_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "implementation.md")]) == EXIT_FAILED
    assert "no such file" in capsys.readouterr().err


def test_default_report_gives_unfilled_fields_per_section_and_progress_per_phase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, skeleton({"1.2": MIXED_FIELDS, "PHASE 1": "- [x] a\n- [ ] b"}))
    assert main([str(path)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"{path}: structure complete, 6 of 10 fields unfilled, 1 of 2 checklist items done"
    )
    assert "  1. Section 1: 6 of 10 fields unfilled" in lines
    assert "    PHASE 1 \u2013 Phase 1: 1 of 2 checklist items done" in lines
    assert "  2. Section 2: nothing to fill in" in lines
    assert len(lines) == 1 + 13 + 13


def test_summary_is_a_progress_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, skeleton({"1.2": MIXED_FIELDS, "PHASE 1": "- [x] a\n- [ ] b"}))
    assert main(["--summary", str(path)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 13 + 13 + 1  # header, ruler, sections, phases, total
    assert len({len(line) for line in table}) == 1  # aligned columns
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in table]
    assert cells[0] == ["Part", "Fields filled", "Checklist done"]
    assert ["1. Section 1", "4/10 (40%)", "-"] in cells
    assert ["PHASE 1 \u2013 Phase 1", "-", "1/2 (50%)"] in cells
    assert cells[-1] == ["Total", "4/10 (40%)", "1/2 (50%)"]


@pytest.mark.parametrize(
    ("done", "total", "shown"),
    [
        (4, 6, 67),
        (2, 3, 67),
        (1, 6, 17),
        (1, 8, 13),
        (1, 3, 33),
        (1, 200, 1),
        (0, 7, 0),
        (7, 7, 100),
    ],
)
def test_progress_percentages_round_to_the_nearest(done: int, total: int, shown: int) -> None:
    assert percent(done, total) == shown


def test_summary_shows_four_of_six_as_67_percent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = "- [x] a\n- [x] b\n- [x] c\n- [x] d\n- [ ] e\n- [ ] f"
    path = write(tmp_path, skeleton({"PHASE 3": steps}))
    assert main(["--summary", str(path)]) == EXIT_OK
    assert " 4/6 (67%) |" in capsys.readouterr().out


def test_output_cut_short_by_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`implementation-plan | head -1`: the reader is gone before the report is written."""
    path = write(tmp_path, skeleton())
    for args in ([str(path)], ["--summary", str(path)]):
        reader, writer = os.pipe()
        os.close(reader)
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "starter_template.plan_check", *args],
                stdout=writer,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        finally:
            os.close(writer)
        assert (completed.returncode, completed.stderr) == (EXIT_BROKEN_PIPE, "")
