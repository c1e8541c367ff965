"""The plan check (`implementation-plan`) on documents whose counts are known in advance."""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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
    Part,
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


# Each damage: (text in the skeleton, what it becomes), then the exact error lines, in order:
# (a line whose number prefixes the error, or None for the whole file; the message, where
# {first} is the number of the first line holding the given text).
DAMAGES: dict[str, tuple[tuple[str, str], list[tuple[str | None, str]]]] = {
    "section": (
        ("## 4. Section 4", "## Four"),
        # Its sub-sections no longer stand in a section: they are missing too.
        [
            (None, "required section 4 is missing"),
            *((None, f"required sub-section 4.{n} is missing") for n in (1, 2, 3)),
        ],
    ),
    "sub-section": (
        ("### 3.3 Sub-section 3.3", "### Folder structure"),
        [(None, "required sub-section 3.3 is missing")],
    ),
    "phase": (
        ("### PHASE 12 \u2013 Phase 12", "### Release"),
        [(None, "required PHASE 12 is missing")],
    ),
    "duplicate-section": (
        ("## 13. Section 13", "## 12. Again"),
        [
            ("## 12. Again", "section 12 appears twice (first at line {## 12. Section 12})"),
            (None, "required section 13 is missing"),
        ],
    ),
    "duplicate-sub-section": (
        ("### 3.2 Sub-section 3.2", "### 3.1 Again"),
        [
            ("### 3.1 Again", "sub-section 3.1 appears twice (first at line {### 3.1 Sub})"),
            (None, "required sub-section 3.2 is missing"),
        ],
    ),
    "duplicate-phase": (
        ("### PHASE 5 \u2013 Phase 5", "### PHASE 4 \u2013 Again"),
        [
            (
                "### PHASE 4 \u2013 Again",
                "phase 4 appears twice (first at line {### PHASE 4 \u2013 Phase})",
            ),
            (None, "required PHASE 5 is missing"),
        ],
    ),
    "misplaced-sub-section": (
        ("### 9.2 Sub-section 9.2", "### 8.2 Moved"),
        [
            ("### 8.2 Moved", "sub-section 8.2 appears twice (first at line {### 8.2 Sub})"),
            ("### 8.2 Moved", "sub-section 8.2 is inside section 9, not section 8"),
            (None, "required sub-section 9.2 is missing"),
        ],
    ),
    "misplaced-phase": (
        ("### 9.1 Sub-section 9.1", "### PHASE 13 \u2013 Late"),
        [
            (
                "### PHASE 13",
                "PHASE 13 is inside section 9, not section 7 (the implementation plan)",
            ),
            (None, "required sub-section 9.1 is missing"),
        ],
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_structure_fails_with_each_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    (before, after), expected = DAMAGES[damage]
    text = skeleton()
    assert text.count(before) == 1
    text = text.replace(before, after)
    path = write(tmp_path, text)
    assert main([str(path)]) == EXIT_FAILED
    captured = capsys.readouterr()

    def error(at: str | None, message: str) -> str:
        message = re.sub(r"\{([^}]+)\}", lambda m: str(line_of(text, m[1])), message)
        where = f"{path}:{line_of(text, at)}" if at else str(path)
        return f"{where}: error: {message}"

    assert captured.err.splitlines() == [error(at, message) for at, message in expected]
    assert captured.out.startswith(f"{path}: structure damaged, ")


def test_an_unclosed_code_block_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = skeleton().replace("### 1.1 Sub-section 1.1", "```\n### 1.1 Sub-section 1.1", 1)
    path = write(tmp_path, text)
    assert main([str(path)]) == EXIT_FAILED
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == f"{path}: error: a code block opened with ``` is never closed"
    assert f"{path}: error: required sub-section 1.1 is missing" in errors


def test_nothing_before_the_first_section_is_counted() -> None:
    early = "- Before any heading: _TBD_\n- [ ] early\n### 1.1 Early\n### PHASE 0 \u2013 Early\n"
    plan = parse(early + skeleton())
    assert plan.problems == []
    assert (plan.fields, plan.checklist) == (0, 0)


def test_an_empty_field_on_the_last_line_is_unfilled() -> None:
    plan = parse(skeleton({"13": "- Sign-off:"}).rstrip("\n"))
    assert [field.label for field in plan.sections["13"].unfilled] == ["Sign-off:"]


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
    # A blank first line counts as a line (the numbers are those an editor shows).
    text = "\n" + skeleton({"1.2": MIXED_FIELDS, "3.2": f"- Language: {MARKER}"})
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
    assert main(["--require", "1.2", "--require", "3.1", str(path)]) == EXIT_FAILED  # both count
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


def test_requiring_a_required_part_the_plan_lacks_reports_it_once_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = skeleton({"1.2": "- Empty:"}).replace("### 3.3 Sub-section 3.3", "### Tree")
    path = write(tmp_path, text)
    assert main(["--require", "3.3,1.2", str(path)]) == EXIT_FAILED
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: error: required sub-section 3.3 is missing",
        f"{path}:{line_of(text, '- Empty:')}: error: section 1.2 (Sub-section 1.2): "
        '"Empty:" is unfilled',
    ]


def test_a_byte_order_mark_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    text = skeleton().removeprefix("# PROJECT IMPLEMENTATION DOCUMENT\n\n")
    assert text.startswith("## 1. Section 1\n")
    path = tmp_path / "implementation.md"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    assert main([str(path)]) == EXIT_OK


def test_a_plan_that_is_not_utf8_fails_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "implementation.md"
    path.write_bytes(skeleton().encode("utf-16"))
    assert main([str(path)]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}: error: cannot read it: ")


def test_without_a_path_the_plan_of_the_current_folder_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, skeleton())
    monkeypatch.chdir(tmp_path)
    assert main([]) == EXIT_OK
    assert capsys.readouterr().out.startswith("implementation.md: structure complete, ")


def test_help_names_the_command_its_options_and_exit_statuses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no line wrapping inside the texts checked below
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(
        "usage: implementation-plan [-h] [--require SECTIONS] [--summary] [PATH ...]\n"
    )
    words = " ".join(out.split())
    for text in (
        "Check implementation.md: report unfilled fields per section and checklist progress "
        "per phase; fail when its structure is damaged or, with --require, when the named "
        f"sections still have unfilled fields (empty, or {MARKER}).",
        "PATH planning documents to check (default: implementation.md)",
        "--require SECTIONS comma-separated sections (1, 2) or sub-sections (3.2) that must "
        "have no unfilled field; repeatable",
        "--summary print a progress table (Markdown) instead of the per-section report",
    ):
        assert text in words
    assert out.splitlines()[-1] == (
        "Exit status: 0 passed, 1 check failed, 2 usage error, "
        "141 output cut short (a closed pipe)."
    )


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
    bodies = {"1.2": MIXED_FIELDS, "PHASE 1": "- [x] a\n- [ ] b", "PHASE 2": "- [x] c"}
    path = write(tmp_path, skeleton(bodies))
    assert main(["--summary", str(path)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [f"## Plan progress: {path}", ""]
    table = [line for line in lines if line.startswith("|")]
    assert lines[2:] == table
    # The part's name is left-aligned, the figures right-aligned (the ruler says so too).
    for line in table:
        name, *figures = line.removeprefix("|").removesuffix("|").split("|")
        assert name.startswith(" "), line
        assert not name.startswith("  "), line
        assert all(cell.endswith(" ") and not cell.endswith("  ") for cell in figures), line
    ruler = [cell.strip() for cell in table[1].strip("|").split("|")]
    assert set(ruler[0]) == {"-"}
    assert all(cell.endswith(":") and set(cell[:-1]) == {"-"} for cell in ruler[1:])
    assert len(table) == 2 + 13 + 13 + 1  # header, ruler, sections, phases, total
    assert len({len(line) for line in table}) == 1  # aligned columns
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in table]
    assert cells[0] == ["Part", "Fields filled", "Checklist done"]
    assert ["1. Section 1", "4/10 (40%)", "-"] in cells
    assert ["PHASE 1 \u2013 Phase 1", "-", "1/2 (50%)"] in cells
    assert ["PHASE 2 \u2013 Phase 2", "-", "1/1 (100%)"] in cells
    assert cells[-1] == ["Total", "4/10 (40%)", "2/3 (67%)"]


# A plan counted by hand (tests/fixtures/plan-check/counted.md): every section and
# sub-section holds an unfilled field, in every form the check knows. Its expected figures are
# written beside it by a person (counted.counts.yml), never computed by the parser under test.
FIXTURES = Path(__file__).parent / "fixtures" / "plan-check"
COUNTED = FIXTURES / "counted.md"
COUNTS = yaml.safe_load((FIXTURES / "counted.counts.yml").read_text(encoding="utf-8"))
COUNTED_TITLES = dict(re.findall(r"(?m)^## (\d+)\. (.*)$", COUNTED.read_text(encoding="utf-8")))


def figures(part: Part | None) -> dict[str, int]:
    """What the parser found in a part, as the hand count writes it (zeros left out)."""
    assert part is not None
    found = {
        "fields": part.fields,
        "unfilled": len(part.unfilled),
        "checklist": part.checklist,
        "done": part.done,
    }
    return {name: value for name, value in found.items() if value}


def hand_count(counts: dict[str, int]) -> dict[str, int]:
    return {name: value for name, value in counts.items() if value}


def test_hand_counted_plan_holds_every_part_of_the_planning_document() -> None:
    document = planning_document.structure()
    assert list(COUNTS["sections"]) == document.sections
    assert list(COUNTS["subsections"]) == document.subsections
    assert list(COUNTS["phases"]) == document.phases
    assert all(COUNTS["sections"][key]["unfilled"] for key in document.sections)
    assert all(COUNTS["subsections"][key]["unfilled"] for key in document.subsections)


def test_every_part_is_counted_as_counted_by_hand() -> None:
    plan = parse(COUNTED.read_text(encoding="utf-8"), str(COUNTED))
    assert plan.problems == []
    for kind, parts in (
        ("sections", plan.sections),
        ("subsections", plan.subsections),
        ("phases", plan.phases),
    ):
        found = {key: figures(part) for key, part in parts.items()}
        expected = {key: hand_count(counts) for key, counts in COUNTS[kind].items()}
        assert found == expected, kind
    total = COUNTS["total"]
    assert (plan.fields, plan.unfilled, plan.checklist, plan.done) == (
        total["fields"],
        total["unfilled"],
        total["checklist"],
        total["done"],
    )


def test_report_gives_the_hand_counted_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(COUNTED)]) == EXIT_OK
    report = capsys.readouterr().out.splitlines()
    total = COUNTS["total"]
    assert report[0] == (
        f"{COUNTED}: structure complete, {total['unfilled']} of {total['fields']} fields "
        f"unfilled, {total['done']} of {total['checklist']} checklist items done"
    )
    for key, counts in COUNTS["sections"].items():
        facts = [f"{counts['unfilled']} of {counts['fields']} fields unfilled"]
        if counts.get("checklist"):
            facts.append(f"{counts['done']} of {counts['checklist']} checklist items done")
        assert f"  {key}. {COUNTED_TITLES[key]}: {', '.join(facts)}" in report


@pytest.mark.parametrize(
    ("key", "unfilled"),
    [
        *((key, counts["unfilled"]) for key, counts in COUNTS["sections"].items()),
        *((key, counts["unfilled"]) for key, counts in COUNTS["subsections"].items()),
    ],
)
def test_requiring_any_part_with_unfilled_fields_fails_once_per_field(
    key: str, unfilled: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--require", key, str(COUNTED)]) == EXIT_FAILED
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == unfilled, errors
    assert all(": error: " in error and error.endswith(" is unfilled") for error in errors)


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
