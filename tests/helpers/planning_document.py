"""The planning document as it was given (docs/planning-document.txt): the tests' independent
source for what implementation.md must hold and for what the plan check must count.

The file is kept exactly as saved, broken encoding included. This module repairs it the way the
template does: the text is decoded again as the UTF-8 it was (`â€“` becomes an en dash), and
section 3.3, with the DevOps and Observability parts the original puts after 3.5, moves back
under 3.2. Two repairs make it one well-formed Markdown document (markdownlint's default rules):
it has one title, so its second level-1 heading ("HOW YOU SHOULD USE THIS") is level 2, and one
list marker, so its `* ` items are `- ` items. Their words stay as the document has them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .template_repo import TEMPLATE_ROOT

PATH = TEMPLATE_ROOT / "docs/planning-document.txt"

# The parts the original document has out of place, in the order they belong after 3.2's own
# parts (and before 3.4).
MOVED_UNDER_3_2 = ("#### DevOps & Infrastructure", "#### Observability", "### 3.3 Folder Structure")
BEFORE = "### 3.4 Third-Party Services"

# The field of section 1 that shows each answer of section 1 in the plan, by answer key, as the
# document labels it (tests check every label is the document's and every key a question).
SECTION_1_LABELS = {
    "problem_statement": "What problem is being solved?",
    "problem_audience": "Who experiences this problem?",
    "problem_gap": "Why current solutions are not enough?",
    "goals_primary": "Primary goals:",
    "goals_secondary": "Secondary goals:",
    "non_goals": "Non-goals (what this project will NOT do):",
    "user_personas": "User personas:",
    "user_technical_level": "Technical level of users:",
    "platforms": "Platforms:",
    "success_functional": "Functional success:",
    "success_performance": "Performance success:",
    "success_business": "Business success:",
}
# How many fields section 1 of the plan has: Name and Type, a field per answer above, and the
# owners the template adds to 1.1 (the `owners` question).
SECTION_1_FIELD_COUNT = len(("Name:", "Type:", *SECTION_1_LABELS.values(), "Owners:"))

_HEADING = re.compile(r"^#{1,6} ")
_PHASE = re.compile(r"^### PHASE (\d+) ")
_SECTION = re.compile(r"^## (\d+)\. ")
_SUBSECTION = re.compile(r"^### (\d+\.\d+) ")
_ITEM = re.compile(r"^(\s*)- (.*)$")
_NUMBERED = re.compile(r"^(\s*)\d+\.\s+(.*?)\s*$")
_CHECKBOX = re.compile(r"^\[[ x]\] ")


@functools.cache
def repaired_lines() -> tuple[str, ...]:
    """The document's own lines (the ```md block, then the how-to-use part), repaired."""
    text = PATH.read_text(encoding="utf-8").encode("cp1252").decode("utf-8")
    lines = [line.removeprefix("    ").rstrip() for line in text.splitlines()]
    start = lines.index("```md") + 1
    end = lines.index("```", lines.index("## 13. Checklist BEFORE CODING"))
    after = lines.index("# HOW YOU SHOULD USE THIS (IMPORTANT)")
    lines[after] = "#" + lines[after]
    document = (*lines[start:end], *lines[after : len(lines) - 1])
    return tuple(re.sub(r"^(\s*)\* ", r"\1- ", line) for line in document)


def _outside_code(lines: tuple[str, ...]) -> list[str]:
    kept, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            kept.append(line)
    return kept


@dataclass(frozen=True)
class Structure:
    """What the planning document holds, in the template's (repaired) order."""

    headings: list[str]
    sections: list[str]  # "1" to "13"
    subsections: list[str]  # "1.1" ... "9.2"
    phases: list[str]  # "0" to "12"
    labels: list[str]  # each list item's label: its text up to the first ':' or '?'
    phase_steps: dict[str, list[str]] = field(default_factory=dict)
    before_coding: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every other line, spaces collapsed


def _label(text: str) -> str:
    match = re.match(r"^(.*?[:?])(?:\s|$)", text)
    return match[1] if match else text


@functools.cache
def structure() -> Structure:
    lines = _outside_code(repaired_lines())
    original = [line for line in lines if _HEADING.match(line)]
    rest = [heading for heading in original if heading not in MOVED_UNDER_3_2]
    at = rest.index(BEFORE)
    headings = [*rest[:at], *MOVED_UNDER_3_2, *rest[at:]]
    found = Structure(
        headings=headings,
        sections=[m[1] for h in headings if (m := _SECTION.match(h))],
        subsections=[m[1] for h in headings if (m := _SUBSECTION.match(h))],
        phases=[m[1] for h in headings if (m := _PHASE.match(h))],
        labels=[],
    )
    phase: str | None = None
    section: str | None = None
    for line in lines:
        if _HEADING.match(line):
            if match := _SECTION.match(line):
                section = match[1]
            elif line.startswith(("# ", "## ")):
                section = None
            match = _PHASE.match(line)
            phase = match[1] if match else (phase if line.startswith("####") else None)
            if phase is not None:
                found.phase_steps.setdefault(phase, [])
            continue
        item = _ITEM.match(line)
        numbered = _NUMBERED.match(line)
        step = item[2] if item else numbered[2] if numbered else None
        if not item and (phase is None or step is None or step.startswith("**")):
            if line.strip() and line.strip() != "---":
                found.texts.append(" ".join(line.split()))
            continue
        if phase is not None:
            if step == "What to test:":
                found.labels.append(step)
            elif step is not None:
                found.phase_steps[phase].append(_CHECKBOX.sub("", step))
        elif section == "13" and item:
            found.before_coding.append(_CHECKBOX.sub("", item[2]))
        elif item and item[2] == "\u2026":  # "- …": the document's "and so on"
            continue
        elif item and section is not None:
            found.labels.append(_label(item[2]))
        elif item:
            found.texts.append(f"- {item[2]}")
    return found
