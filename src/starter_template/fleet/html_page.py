"""The report as one self-contained HTML page: a sortable table, progress bars, a chart.

Everything is inline (CSS, JavaScript, SVG); the page loads nothing at view time, and its
Content-Security-Policy says so to the browser: `default-src 'none'`, with the one style sheet
and the one script allowed by their SHA-256 hashes. Every text that comes from a repository
(project names are free text) is escaped, and could not run as a script if it were not.
The table is complete without JavaScript; the script adds sorting and the filter.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Final

from .model import PartProgress, RepoReport
from .render import HEADERS, Summary, cells, printable, summarise, summary_line

_CSS: Final = """
:root { color-scheme: light dark; --ok: #1a7f37; --late: #bf8700; --bad: #cf222e;
  --muted: #8c959f; --track: #d0d7de; --line: #d0d7de; --head: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --track: #30363d; --line: #30363d; --head: #161b22; }
}
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  margin: 0 auto; padding: 1.5rem; max-width: 110rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
.generated { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1rem; padding: 0;
  list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem;
  min-width: 9rem; }
.cards strong { display: block; font-size: 1.5rem; }
.chart { width: 100%; max-width: 48rem; height: auto; }
.chart text { font: 13px system-ui, sans-serif; fill: currentColor; }
.chart .newest { fill: var(--ok); } .chart .older { fill: var(--late); }
.chart .unknown { fill: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .6rem; text-align: left;
  vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--ok); }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.number { text-align: right; white-space: nowrap; }
tr.behind td.behind { color: var(--late); font-weight: 600; }
tr.problems td:first-child { border-left: 3px solid var(--bad); }
.bar { vertical-align: middle; margin-right: .4rem; }
.bar .track { fill: var(--track); } .bar .fill { fill: var(--ok); }
details summary { cursor: pointer; }
details ul { margin: .25rem 0 0; padding-left: 1.1rem; }
.parts { list-style: none; padding-left: 0; }
.parts li { white-space: nowrap; }
.parts meter { width: 5rem; vertical-align: middle; }
details p { margin: .4rem 0 .1rem; font-weight: 600; }
.problem-code { font-family: ui-monospace, monospace; }
#filter { margin: 0 0 .75rem; padding: .35rem .5rem; width: min(100%, 24rem); }
"""

_SCRIPT: Final = """
(() => {
  "use strict";
  const table = document.getElementById("fleet");
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const valueOf = (row, column) => {
    const cell = row.cells[column];
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  };
  headers.forEach((header, column) => {
    const button = header.querySelector("button");
    if (button === null) {
      return;
    }
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach((other) => other.setAttribute("aria-sort", "none"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = header.dataset.type === "number";
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = valueOf(a, column);
        const y = valueOf(b, column);
        if (x === "" || y === "") {
          return (x === "") - (y === "");
        }
        const order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
        return ascending ? order : -order;
      });
      // Reorder the rows out of the document: one layout instead of one per row.
      const next = body.nextSibling;
      table.removeChild(body);
      body.append(...rows);
      table.insertBefore(body, next);
    });
  });
  const filter = document.getElementById("filter");
  filter.addEventListener("input", () => {
    const wanted = filter.value.trim().toLowerCase();
    for (const row of body.rows) {
      row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
    }
  });
})();
"""

_NUMBER_COLUMNS: Final = frozenset({"Behind", "Fields", "Checklist", "Problems"})
_BAR_WIDTH: Final = 80


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    return (
        f"default-src 'none'; style-src {_hash(_CSS)}; script-src {_hash(_SCRIPT)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def text(value: str) -> str:
    """User-controlled text for an HTML element or attribute: shown escaped, never markup."""
    return escape(printable(value), quote=True)


def _bar(done: int, total: int) -> str:
    filled = round(_BAR_WIDTH * done / total) if total else 0
    return (
        f'<svg class="bar" width="{_BAR_WIDTH}" height="8" viewBox="0 0 {_BAR_WIDTH} 8" '
        f'aria-hidden="true"><rect class="track" width="{_BAR_WIDTH}" height="8" rx="2"/>'
        f'<rect class="fill" width="{filled}" height="8" rx="2"/></svg>'
    )


def _progress_cell(done: int, total: int) -> str:
    share = f"{done / total:.4f}" if total else ""
    return (
        f'<td class="number" data-value="{share}" title="{done} of {total}">'
        f"{_bar(done, total)}{done}/{total}</td>"
    )


def _parts_list(title: str, parts: Sequence[PartProgress], phases: bool) -> str:
    items = []
    for part in parts:
        done, total = (
            (part.checklist_done, part.checklist_total)
            if phases
            else (part.fields_filled, part.fields_total)
        )
        if total:
            name = (
                f"PHASE {part.key} \u2013 {part.title}" if phases else f"{part.key}. {part.title}"
            )
            # <meter>: a bar in a few bytes (a page of 500 repositories has 13,000 of them).
            items.append(
                f'<li><meter min="0" max="{total}" value="{done}"></meter> '
                f"{done}/{total} {text(name)}</li>"
            )
    if not items:
        return ""
    return f'<p>{title}</p><ul class="parts">{"".join(items)}</ul>'


def _row(report: RepoReport) -> str:
    values = cells(report)
    out = []
    for header, value in zip(HEADERS, values, strict=True):
        if header == "Fields" and report.plan:
            out.append(_progress_cell(report.plan.fields_filled, report.plan.fields_total))
        elif header == "Checklist" and report.plan:
            out.append(_progress_cell(report.plan.checklist_done, report.plan.checklist_total))
        elif header == "Behind":
            out.append(f'<td class="number behind" data-value="{value}">{text(value)}</td>')
        elif header == "Problems":
            out.append(_problems_cell(report))
        elif header == "Release":
            sort = report.template_version or ""
            out.append(f'<td data-value="{text(sort)}">{text(value)}</td>')
        elif header in _NUMBER_COLUMNS:
            out.append(f'<td class="number" data-value="">{text(value)}</td>')
        else:
            out.append(f"<td>{text(value)}</td>")
    plan = report.plan
    details = ""
    if plan is not None:
        details = (
            "<details><summary>sections</summary>"
            + _parts_list("Fields filled, per section", plan.sections, phases=False)
            + _parts_list("Checklist done, per phase", plan.phases, phases=True)
            + "</details>"
        )
    out.append(f"<td>{details}</td>")
    classes = []
    if report.releases_behind:
        classes.append("behind")
    if report.problems:
        classes.append("problems")
    attribute = f' class="{" ".join(classes)}"' if classes else ""
    return f"<tr{attribute}>{''.join(out)}</tr>"


def _problems_cell(report: RepoReport) -> str:
    count = len(report.problems)
    if not count:
        return '<td class="number" data-value="0"></td>'
    items = "".join(
        f'<li><span class="problem-code">{text(problem.code)}</span>: {text(problem.message)}</li>'
        for problem in report.problems
    )
    return (
        f'<td data-value="{count}"><details><summary>{count}</summary>'
        f"<ul>{items}</ul></details></td>"
    )


def chart(summary: Summary) -> str:
    """A horizontal bar chart of how many repositories are on each template version."""
    buckets = summary.spread
    label_width, bar_width, row = 170, 360, 28
    most = max((bucket.count for bucket in buckets), default=0) or 1
    height = row * max(len(buckets), 1) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {label_width + bar_width + 60} {height}" '
        f'width="{label_width + bar_width + 60}" height="{height}" '
        f'aria-labelledby="chart-title"><title id="chart-title">Repositories per template '
        "release</title>"
    ]
    for index, bucket in enumerate(buckets):
        top = 4 + index * row
        length = max(2, round(bar_width * bucket.count / most))
        kind = "newest" if bucket.latest else "unknown" if bucket.label == "unknown" else "older"
        label = bucket.label + (" (newest)" if bucket.latest else "")
        parts.append(
            f'<g class="{kind}"><title>{text(label)}: {bucket.count}</title>'
            f'<text x="{label_width - 8}" y="{top + 17}" text-anchor="end">{text(label)}</text>'
            f'<rect class="{kind}" x="{label_width}" y="{top + 4}" width="{length}" height="18" '
            f'rx="3"/><text x="{label_width + length + 6}" y="{top + 17}">{bucket.count}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _cards(summary: Summary) -> str:
    newest = f" ({summary.latest})" if summary.latest else ""
    figures = [
        ("repositories", summary.total),
        (f"on the newest release{newest}", summary.on_latest),
        ("behind", summary.behind),
        ("release unknown", summary.unknown),
        ("with problems", summary.with_problems),
    ]
    items = "".join(f"<li><strong>{count}</strong>{text(label)}</li>" for label, count in figures)
    return f'<ul class="cards">{items}</ul>'


def _column_type(header: str) -> str:
    return "number" if header in _NUMBER_COLUMNS else "text"


def page(
    reports: Sequence[RepoReport],
    *,
    title: str = "Template fleet report",
    generated: datetime | None = None,
) -> str:
    """The whole HTML document."""
    summary = summarise(reports)
    moment = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    head_cells = "".join(
        f'<th scope="col" aria-sort="none" data-type="{_column_type(header)}">'
        f'<button type="button">{escape(header)}</button></th>'
        for header in HEADERS
    )
    head_cells += '<th scope="col">Plan</th>'
    rows = "\n".join(_row(report) for report in reports)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">
<meta name="referrer" content="no-referrer">
<title>{text(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{text(title)}</h1>
<p class="generated">Generated {moment} by starter-fleet. {text(summary_line(summary))}</p>
{_cards(summary)}
</header>
<main>
<section>
<h2>Template releases across the fleet</h2>
{chart(summary)}
</section>
<section>
<h2>Repositories</h2>
<input type="search" id="filter" placeholder="Filter rows" aria-label="Filter repositories">
<div class="scroll">
<table id="fleet">
<thead><tr>{head_cells}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
</section>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""
