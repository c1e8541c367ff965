"""The plan check: how far `implementation.md` is filled in, and whether its structure is whole.

It reads the planning document line by line (standard library only) and reports, per numbered
section, how many fields are still unfilled and, per phase of the implementation plan, how many
checklist items are done. It fails when a section, sub-section or phase of the planning document
is missing, duplicated or out of place, and, with `--require`, when the named sections still have
unfilled fields.

What it recognises, strictly and only at the start of a line:

- a heading is `#` at column 0: `## 3. Title` is section 3, `### 3.2 Title` sub-section 3.2,
  `### PHASE 4 - Title` phase 4; any other level-1 or level-2 heading ends the numbered sections;
- a field is a `- ` list item (after optional indentation) whose text starts with a label ending
  in `:` or `?`. It is unfilled when it holds the marker `_TBD_`, or when nothing follows the
  label and the next non-blank line is not indented below it. Any other `- ` item holding the
  marker counts as an unfilled field too;
- a checklist item is `- [ ]` or `- [x]` after optional indentation;
- fenced code blocks (``` or ~~~) are skipped.

Lines that start with anything else (`* `, text, numbered items) are content, never structure:
the template renders every answer line as a numbered item (`  1. `), so no answer can add a
heading, a field or a checklist item.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

MARKER: Final = "_TBD_"
DEFAULT_PATH: Final = "implementation.md"

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
# Whoever reads the output stopped early (`implementation-plan | head`): exit quietly, with the
# status of a Unix tool ended by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE: Final = 141

# The structure of the planning document: every numbered section, sub-section and phase.
REQUIRED_SECTIONS: Final = tuple(str(number) for number in range(1, 14))
REQUIRED_SUBSECTIONS: Final = (
    *("1.1", "1.2", "1.3", "1.4", "1.5"),
    *("2.1", "2.2"),
    *("3.1", "3.2", "3.3", "3.4", "3.5"),
    *("4.1", "4.2", "4.3"),
    *("5.1", "5.2", "5.3"),
    *("6.1", "6.2", "6.3"),
    *("8.1", "8.2", "8.3"),
    *("9.1", "9.2"),
)
REQUIRED_PHASES: Final = tuple(str(number) for number in range(13))
PLAN_SECTION: Final = "7"

_HEADING: Final = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SECTION_TITLE: Final = re.compile(r"^(\d+)\.[ \t]+(.*)$")
_SUBSECTION_TITLE: Final = re.compile(r"^(\d+)\.(\d+)\.?[ \t]+(.*)$")
_PHASE_TITLE: Final = re.compile(r"^PHASE[ \t]+(\d+)\b[ \t]*(?:[-\u2013\u2014:][ \t]*)?(.*)$", re.I)
_FENCE: Final = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CHECKLIST: Final = re.compile(r"^[ \t]*- \[([ xX])\](?:[ \t]|$)")
_LIST_ITEM: Final = re.compile(r"^([ \t]*)- (.*)$")
_LABEL: Final = re.compile(r"^(.*?\S[:?])(?:[ \t]+(.*))?$")
_REQUIRE_KEY: Final = re.compile(r"^\d+(\.\d+)?$")
# Markdown's line endings only: other Unicode separators (U+2028, form feed...) are text.
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Field:
    """A field of the plan that still waits for an answer."""

    line: int
    label: str
    where: str  # the innermost part holding it: "section 2.1 (Functional Requirements)"


@dataclass
class Part:
    """A numbered section, sub-section or phase, and what it holds."""

    kind: str  # "section", "sub-section" or "phase"
    key: str  # "3", "3.2" or "4" (for PHASE 4)
    title: str
    line: int
    fields: int = 0
    unfilled: list[Field] = field(default_factory=list)
    checklist: int = 0
    done: int = 0

    @property
    def name(self) -> str:
        if self.kind == "phase":
            return f"PHASE {self.key} \u2013 {self.title}" if self.title else f"PHASE {self.key}"
        if self.kind == "section":
            return f"{self.key}. {self.title}"
        return f"{self.key} {self.title}"

    @property
    def where(self) -> str:
        return self.name if self.kind == "phase" else f"section {self.key} ({self.title})"


@dataclass
class Plan:
    """What the check found in one document."""

    path: str
    sections: dict[str, Part] = field(default_factory=dict)
    subsections: dict[str, Part] = field(default_factory=dict)
    phases: dict[str, Part] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str, line: int | None = None) -> None:
        where = f"{self.path}:{line}" if line is not None else self.path
        self.problems.append(f"{where}: error: {message}")

    @property
    def fields(self) -> int:
        return sum(part.fields for part in self.sections.values())

    @property
    def unfilled(self) -> int:
        return sum(len(part.unfilled) for part in self.sections.values())

    @property
    def checklist(self) -> int:
        return sum(part.checklist for part in self.sections.values())

    @property
    def done(self) -> int:
        return sum(part.done for part in self.sections.values())

    def part(self, key: str) -> Part | None:
        return self.sections.get(key) or self.subsections.get(key)


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _next_content_is_nested(lines: Sequence[str], index: int, indent: int) -> bool:
    """Whether the first non-blank line after `index` is indented deeper than `indent`."""
    for following in lines[index + 1 :]:
        if following.strip():
            return _indent(following) > indent
    return False


def _unfilled_label(text: str, lines: Sequence[str], index: int, indent: int) -> str | None:
    """The label of the list item `text` if it is an unfilled field, else None.

    Returns "" for a filled field and None for an item that is not a field.
    """
    match = _LABEL.match(text)
    if MARKER in text:
        return match.group(1) if match else text
    if match is None:
        return None
    if (match.group(2) or "").strip() or _next_content_is_nested(lines, index, indent):
        return ""
    return match.group(1)


class _Reader:
    """One pass over the lines: headings open parts, items are counted into the open parts."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.section: Part | None = None
        self.subsection: Part | None = None
        self.phase: Part | None = None

    def open_parts(self) -> list[Part]:
        return [part for part in (self.section, self.subsection, self.phase) if part is not None]

    def heading(self, level: int, title: str, line: int) -> None:
        if level <= 2:
            self.section = self.subsection = self.phase = None
            match = _SECTION_TITLE.match(title)
            if level == 2 and match:
                key = str(int(match[1]))
                self.section = self._add(self.plan.sections, "section", key, match[2], line)
            return
        if level > 3 or self.section is None:
            return
        self.subsection = self.phase = None
        if match := _SUBSECTION_TITLE.match(title):
            key = f"{int(match[1])}.{int(match[2])}"
            self.subsection = self._add(self.plan.subsections, "sub-section", key, match[3], line)
            if str(int(match[1])) != self.section.key:
                self.plan.problem(
                    f"sub-section {key} is inside section {self.section.key}, "
                    f"not section {int(match[1])}",
                    line,
                )
        elif match := _PHASE_TITLE.match(title):
            self.phase = self._add(self.plan.phases, "phase", str(int(match[1])), match[2], line)
            if self.section.key != PLAN_SECTION:
                self.plan.problem(
                    f"PHASE {self.phase.key} is inside section {self.section.key}, "
                    f"not section {PLAN_SECTION} (the implementation plan)",
                    line,
                )

    def _add(self, parts: dict[str, Part], kind: str, key: str, title: str, line: int) -> Part:
        part = Part(kind=kind, key=key, title=title.strip(), line=line)
        if key in parts:
            self.plan.problem(
                f"{kind} {key} appears twice (first at line {parts[key].line})",
                line,
            )
        else:
            parts[key] = part
        return part

    def item(self, lines: Sequence[str], index: int) -> None:
        parts = self.open_parts()
        if not parts:
            return
        text = lines[index]
        if checked := _CHECKLIST.match(text):
            for part in parts:
                part.checklist += 1
                part.done += checked[1] != " "
            return
        item = _LIST_ITEM.match(text)
        if item is None:
            return
        label = _unfilled_label(item[2].strip(), lines, index, _indent(text))
        if label is None:
            return
        unfilled = Field(line=index + 1, label=label, where=parts[-1].where) if label else None
        for part in parts:
            part.fields += 1
            if unfilled:
                part.unfilled.append(unfilled)


def _closes(fence: str, line: str) -> bool:
    """Whether `line` closes a code block opened with `fence` (same character, as long)."""
    closing = _FENCE.match(line)
    return (
        closing is not None
        and closing[1][0] == fence[0]
        and len(closing[1]) >= len(fence)
        and not line.strip().strip(fence[0])
    )


def parse(text: str, path: str = DEFAULT_PATH) -> Plan:
    """Read a planning document: its parts, fields, checklist items and structural problems."""
    plan = Plan(path=path)
    reader = _Reader(plan)
    lines = _LINE_BREAK.split(text.removesuffix("\n"))
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            if _closes(fence, line):
                fence = None
            continue
        if opening := _FENCE.match(line):
            fence = opening[1]
            continue
        if heading := _HEADING.match(line):
            reader.heading(len(heading[1]), (heading[2] or "").strip(), index + 1)
        else:
            reader.item(lines, index)
    if fence is not None:
        plan.problem(f"a code block opened with {fence} is never closed")
    for kind, required, found in (
        ("section", REQUIRED_SECTIONS, plan.sections),
        ("sub-section", REQUIRED_SUBSECTIONS, plan.subsections),
        ("phase", REQUIRED_PHASES, plan.phases),
    ):
        for key in required:
            if key not in found:
                name = f"PHASE {key}" if kind == "phase" else f"{kind} {key}"
                plan.problem(f"required {name} is missing")
    return plan


def _count(done: int, total: int, what: str) -> str:
    return f"{done} of {total} {what}"


def describe(part: Part) -> str:
    """`4 of 24 fields unfilled, 1 of 11 checklist items done`, or what little applies."""
    facts = []
    if part.fields:
        facts.append(_count(len(part.unfilled), part.fields, "fields unfilled"))
    if part.checklist:
        facts.append(_count(part.done, part.checklist, "checklist items done"))
    return ", ".join(facts) or "nothing to fill in"


def report(plan: Plan) -> list[str]:
    """The default report: one line per section, phases under section 7."""
    state = "structure damaged" if plan.problems else "structure complete"
    lines = [
        f"{plan.path}: {state}, "
        f"{_count(plan.unfilled, plan.fields, 'fields unfilled')}, "
        f"{_count(plan.done, plan.checklist, 'checklist items done')}"
    ]
    for section in plan.sections.values():
        lines.append(f"  {section.name}: {describe(section)}")
        if section.key == PLAN_SECTION:
            lines.extend(f"    {phase.name}: {describe(phase)}" for phase in plan.phases.values())
    return lines


def percent(done: int, total: int) -> int:
    """`done` of `total` in percent, rounded to the nearest (a half up): 4 of 6 is 67."""
    return (200 * done + total) // (2 * total)


def _share(done: int, total: int) -> str:
    if not total:
        return "-"
    return f"{done}/{total} ({percent(done, total)}%)"


def _progress(name: str, fields: int, unfilled: int, done: int, checklist: int) -> list[str]:
    return [name, _share(fields - unfilled, fields), _share(done, checklist)]


def summary(plan: Plan) -> list[str]:
    """A progress table for people, in Markdown (it reads as a table in a terminal too)."""
    rows = [["Part", "Fields filled", "Checklist done"]]
    for section in plan.sections.values():
        parts = [section, *plan.phases.values()] if section.key == PLAN_SECTION else [section]
        rows.extend(
            _progress(part.name, part.fields, len(part.unfilled), part.done, part.checklist)
            for part in parts
        )
    rows.append(_progress("Total", plan.fields, plan.unfilled, plan.done, plan.checklist))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]

    def line(cells: Iterable[str]) -> str:
        padded = [
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    ruler = "| " + " | ".join(
        ("-" * (width - 1) + ":") if column else ("-" * width)
        for column, width in enumerate(widths)
    )
    return [
        f"## Plan progress: {plan.path}",
        "",
        line(rows[0]),
        ruler + " |",
        *(line(row) for row in rows[1:]),
    ]


def check_required(plan: Plan, keys: Iterable[str]) -> list[str]:
    """One message per unfilled field of the required sections (or a missing section)."""
    messages = []
    for key in keys:
        part = plan.part(key)
        if part is None:
            if key not in REQUIRED_SECTIONS and key not in REQUIRED_SUBSECTIONS:
                messages.append(f"{plan.path}: error: required section {key} is not in the plan")
            continue
        messages.extend(
            f'{plan.path}:{unfilled.line}: error: {unfilled.where}: "{unfilled.label}" is unfilled'
            for unfilled in part.unfilled
        )
    return messages


def _section_keys(value: str) -> list[str]:
    keys = [key.strip() for key in value.split(",") if key.strip()]
    for key in keys:
        if not _REQUIRE_KEY.match(key):
            raise argparse.ArgumentTypeError(
                f"{key!r} is not a section number (expected e.g. 1, 2 or 3.2)"
            )
    return [".".join(str(int(number)) for number in key.split(".")) for key in keys]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="implementation-plan",
        description=(
            "Check implementation.md: report unfilled fields per section and checklist "
            "progress per phase; fail when its structure is damaged or, with --require, "
            f"when the named sections still have unfilled fields (empty, or {MARKER})."
        ),
        epilog=(
            "Exit status: 0 passed, 1 check failed, 2 usage error, "
            f"{EXIT_BROKEN_PIPE} output cut short (a closed pipe)."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=f"planning documents to check (default: {DEFAULT_PATH})",
    )
    parser.add_argument(
        "--require",
        action="extend",
        type=_section_keys,
        default=[],
        metavar="SECTIONS",
        help="comma-separated sections (1, 2) or sub-sections (3.2) that must have no "
        "unfilled field; repeatable",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="print a progress table (Markdown) instead of the per-section report",
    )
    return parser


def check(path: Path, require: Sequence[str], as_summary: bool) -> int:
    """Check one document, print its report, and return its exit status."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        print(f"{path}: error: no such file (the plan of the project)", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: error: cannot read it: {error}", file=sys.stderr)
        return EXIT_FAILED
    plan = parse(text, str(path))
    print("\n".join(summary(plan) if as_summary else report(plan)))
    failures = [*plan.problems, *check_required(plan, require)]
    for failure in failures:
        print(failure, file=sys.stderr)
    return EXIT_FAILED if failures else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """The `implementation-plan` command; returns its exit status."""
    args = build_parser().parse_args(argv)
    paths = [Path(name) for name in args.paths] or [Path(DEFAULT_PATH)]
    try:
        statuses = [check(path, args.require, args.summary) for path in paths]
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
    except BrokenPipeError:
        # Nothing more can be written, and Python would complain again when it flushes
        # stdout at exit: point stdout at /dev/null first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
