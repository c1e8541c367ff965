"""The report as a terminal table, JSON and Markdown, and the figures they share."""

from __future__ import annotations

import json
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from .model import RepoReport
from .releases import Version, parse_version, read_commit

UNKNOWN: Final = "unknown"
_MARKDOWN_SPECIAL: Final = frozenset(string.punctuation)


@dataclass(frozen=True)
class Bucket:
    """The repositories on one template version (a bar of the chart)."""

    label: str
    count: int
    latest: bool


@dataclass(frozen=True)
class Summary:
    total: int
    latest: str | None
    on_latest: int
    behind: int
    unknown: int
    with_problems: int
    spread: tuple[Bucket, ...]


def _version_key(label: str) -> tuple[int, tuple[tuple[int, ...], float, int, float], int]:
    """Order the chart's bars: versions oldest first, then unknown ones."""
    ref = read_commit(label)
    version = parse_version(ref.tag) if ref.tag else None
    if version is None:
        return (1, ((), 0.0, 0, 0.0), 0)
    return (0, version.key, ref.ahead)


def newest(reports: Iterable[RepoReport]) -> str | None:
    """The newest release any repository's template has (one template: its newest release)."""
    versions: list[Version] = [
        version
        for report in reports
        if report.latest_template_version
        and (version := parse_version(report.latest_template_version))
    ]
    return max(versions).tag if versions else None


def summarise(reports: Sequence[RepoReport]) -> Summary:
    latest = newest(reports)
    counts = Counter(
        report.template_version
        if report.template_version and report.releases_behind is not None
        else UNKNOWN
        for report in reports
    )
    spread = tuple(
        Bucket(label, counts[label], label == latest) for label in sorted(counts, key=_version_key)
    )
    return Summary(
        total=len(reports),
        latest=latest,
        on_latest=sum(report.releases_behind == 0 for report in reports),
        behind=sum(bool(report.releases_behind) for report in reports),
        unknown=sum(report.releases_behind is None for report in reports),
        with_problems=sum(bool(report.problems) for report in reports),
        spread=spread,
    )


def summary_line(summary: Summary) -> str:
    newest_text = f" (newest release {summary.latest})" if summary.latest else ""
    return (
        f"{summary.total} repositories{newest_text}: {summary.on_latest} on the newest "
        f"release, {summary.behind} behind, {summary.unknown} with an unknown release; "
        f"{summary.with_problems} with problems"
    )


def fraction(done: int, total: int) -> str:
    return f"{done}/{total}" if total else "-"


def cells(report: RepoReport) -> list[str]:
    """One row of the table, as text."""
    plan = report.plan
    return [
        report.repository,
        report.project_name or "",
        report.project_type or "",
        report.stack or "",
        report.ci or "",
        report.template_version or "",
        report.latest_template_version or "",
        "" if report.releases_behind is None else str(report.releases_behind),
        fraction(plan.fields_filled, plan.fields_total) if plan else "",
        fraction(plan.checklist_done, plan.checklist_total) if plan else "",
        (report.last_commit or "")[:10],
        str(len(report.problems)) if report.problems else "",
    ]


HEADERS: Final = (
    "Repository",
    "Project",
    "Type",
    "Stack",
    "CI",
    "Release",
    "Newest",
    "Behind",
    "Fields",
    "Checklist",
    "Last commit",
    "Problems",
)
_NUMERIC: Final = frozenset({"Behind", "Fields", "Checklist", "Problems"})


# --- Terminal ---------------------------------------------------------------------------


def printable(text: str) -> str:
    """Text safe for a terminal: control, format and separator characters shown escaped."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
        else char
        for char in text
    )


def width(text: str) -> int:
    """Columns a string takes in a terminal (wide East Asian characters take two)."""
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in {"W", "F"}
        else 1
        for char in text
    )


def _clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    clipped = ""
    for char in text:
        if width(clipped + char) > limit - 1:
            break
        clipped += char
    return clipped + "\u2026"


def table(reports: Sequence[RepoReport], *, max_cell: int = 40) -> str:
    """The terminal table, the problems under it, and the summary.

    Project names (free text) are cut at `max_cell` columns; the JSON has them whole.
    """
    rows = [list(HEADERS)] + [
        [
            _clip(printable(cell), max_cell) if header == "Project" else printable(cell)
            for header, cell in zip(HEADERS, cells(report), strict=True)
        ]
        for report in reports
    ]
    widths = [max(width(row[column]) for row in rows) for column in range(len(HEADERS))]

    def line(row: list[str]) -> str:
        padded = []
        for header, cell, size in zip(HEADERS, row, widths, strict=True):
            gap = " " * (size - width(cell))
            padded.append(gap + cell if header in _NUMERIC else cell + gap)
        return "  ".join(padded).rstrip()

    out = [line(rows[0]), "  ".join("-" * size for size in widths)]
    out += [line(row) for row in rows[1:]]
    problems = [report for report in reports if report.problems]
    if problems:
        out += ["", "Problems:"]
        for report in problems:
            out.append(f"  {printable(report.repository)}")
            out += [
                f"    - {problem.code}: {printable(problem.message)}" for problem in report.problems
            ]
    out += ["", summary_line(summarise(reports))]
    return "\n".join(out) + "\n"


# --- JSON -------------------------------------------------------------------------------


def to_json(reports: Sequence[RepoReport]) -> str:
    return json.dumps([report.to_json() for report in reports], indent=2, ensure_ascii=False) + "\n"


# --- Markdown ---------------------------------------------------------------------------


def markdown_text(text: str) -> str:
    """Text that renders as itself in Markdown, even inside a table cell."""
    text = printable(" ".join(text.splitlines()))
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in text)


def markdown(reports: Sequence[RepoReport], *, title: str = "Template fleet report") -> str:
    summary = summarise(reports)
    out = [f"# {markdown_text(title)}", "", markdown_text(summary_line(summary)), ""]
    out.append("| Release | Repositories |")
    out.append("| --- | ---: |")
    for bucket in summary.spread:
        label = markdown_text(bucket.label) + (" (newest)" if bucket.latest else "")
        out.append(f"| {label} | {bucket.count} |")
    out += ["", "| " + " | ".join(HEADERS) + " |"]
    out.append(
        "| " + " | ".join("---:" if header in _NUMERIC else "---" for header in HEADERS) + " |"
    )
    for report in reports:
        out.append("| " + " | ".join(markdown_text(cell) for cell in cells(report)) + " |")
    problems = [report for report in reports if report.problems]
    if problems:
        out += ["", "## Problems", ""]
        for report in problems:
            out.append(f"- {markdown_text(report.repository)}")
            out += [
                f"  - `{problem.code}`: {markdown_text(problem.message)}"
                for problem in report.problems
            ]
    return "\n".join(out) + "\n"
