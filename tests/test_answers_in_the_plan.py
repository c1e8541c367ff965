"""Whatever a person types or pastes into the free-text answers, every generated TOML, YAML
and JSON file parses, the answers are recorded as typed, and each answer line shows in
implementation.md as that line shows rendered on its own, without changing the plan's
structure (docs/decisions/0006-answers-are-inline-markdown.md).

The rule (answer_field and inline_line in copier/macros.jinja): an answer line is inline
Markdown. Nothing at its start may open a block (heading, bullet, ordered or task list item,
quote, code fence, HTML block, thematic break, indented code, link reference definition,
table), and everything inline (bold, emphasis, code, links, inline HTML) renders as typed. A
CommonMark renderer (markdown-it-py, tests/helpers/markdown.py) is the judge, never string
matching: the macro's own output is checked fast over hundreds of lines, and whole renders
(about half a second each) in the slow lane.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from starter_template.plan_check import parse

from .helpers.copier_runs import read_answers, render_in_process
from .helpers.generated_files import parse_structured_files, whitespace_fixer_complaints
from .helpers.jinja_modules import jinja_macros
from .helpers.markdown import (
    answer_lines,
    block_structure,
    field_items,
    opens_html_block,
    shown_inline,
)
from .helpers.planning_document import SECTION_1_FIELD_COUNT, SECTION_1_LABELS
from .helpers.text_strategies import (
    FREE_TEXT_KEYS,
    MARKDOWN_STARTS,
    SLOW_EXAMPLES,
    any_text,
    markdown_lines,
)

PLAN = "implementation.md"


def macros() -> Any:
    return jinja_macros("copier/macros.jinja")


def plain(answer: str) -> str:
    """An answer of as many lines, each a plain word: what the structure must not differ from."""
    return "\n".join("plain" for _ in answer_lines(answer))


def line_structure(text: str) -> list[str]:
    """Headings and checklist items, in order, as the plan check reads them: a heading is a
    `#` at column 0, a checklist item `- [ ]`/`- [x]` after any indentation; fenced code
    blocks are skipped."""
    found: list[str] = []
    fence = ""
    for line in text.splitlines():
        if fence:
            fence = "" if line.lstrip().startswith(fence) else fence
        elif opening := re.match(r"^ {0,3}(`{3,}|~{3,})", line):
            fence = opening[1]
        elif re.match(r"^#{1,6}(?:[ \t]|$)", line) or re.match(r"^\s*- \[[ xX]\]", line):
            found.append(line.strip())
    return found


# --- The macro itself: hundreds of lines in seconds ----------------------------------------

# A sub-section of the plan as the template writes it: two answer fields between a heading and
# a field of the template's own.
SECTION = """\
## 1. Project Overview

### 1.2 Problem Statement

{first}
{second}
- Hosting: _TBD_ (Terraform / Pulumi / CloudFormation)

Text after the list.
"""


def section_with(answer: str, other: str = "Second answer") -> str:
    field = macros().answer_field
    return SECTION.format(first=field("Primary goals:", answer), second=field("Who?", other))


def plan_check_view(text: str) -> tuple[list[str], int, int, int]:
    """What the plan check counts in a document: its parts, fields, unfilled fields, items."""
    plan = parse(text)
    return [*plan.sections, *plan.subsections], plan.fields, plan.unfilled, plan.checklist


@settings(max_examples=200)
@given(st.one_of(markdown_lines, any_text))
@example("**Zero** manual re-typing\n_TBD_ on purpose\n    indented code?")
@example("# Heading\n- [ ] task\n1. one\n> quote\n```\n<details>\n---\n[ref]: /x")
@example("")
def test_each_answer_line_shows_as_it_shows_rendered_inline_on_its_own(answer: str) -> None:
    text = section_with(answer)
    items = field_items(text, "Primary goals:")
    lines = answer_lines(answer)
    if not lines:
        assert items == [], "an empty answer shows nothing but its marker"
        assert "- Primary goals: _TBD_" in text.splitlines()
        return
    assert items == [shown_inline(line) for line in lines]
    assert field_items(text, "Who?") == [shown_inline("Second answer")]


@pytest.mark.slow
@settings(max_examples=200)
@given(st.one_of(markdown_lines, any_text))
@example("---\n===\n***\n| a | b |\n| - | - |\n~~~\n    code\n<!--\n<pre>\n[x] done")
def test_an_answer_changes_no_block_of_the_plan(answer: str) -> None:
    """Headings, code blocks, quotes, tables, rules, lists and checklist items: the same as with
    a plain answer of as many lines, for a renderer and for the plan check."""
    text, baseline = section_with(answer), section_with(plain(answer))
    assert block_structure(text) == block_structure(baseline)
    assert plan_check_view(text) == plan_check_view(baseline)
    assert line_structure(text) == line_structure(baseline)


def test_every_markdown_start_keeps_its_inline_meaning_and_opens_no_block() -> None:
    for start in MARKDOWN_STARTS:
        for line in (start, f"{start} **bold** and `code`"):
            text, baseline = section_with(line), section_with(plain(line))
            shown = [shown_inline(line)] if line.strip() else []
            assert field_items(text, "Primary goals:") == shown, repr(line)
            assert block_structure(text) == block_structure(baseline), repr(line)


def test_inline_markdown_at_the_start_of_a_line_renders_as_typed() -> None:
    """The examples of issue 10: bold, emphasis and an indented line."""
    text = section_with("**Zero** manual re-typing\n_TBD_ on purpose\n    indented line")
    assert field_items(text, "Primary goals:") == [
        "<strong>Zero</strong> manual re-typing",
        "<em>TBD</em> on purpose",
        "indented line",
    ]


def test_the_oracles_see_what_a_broken_escaping_would_do() -> None:
    """The judges above reject a line written the old way or not escaped at all."""
    broken = SECTION.format(first="- Primary goals:\n  1. \\**Zero** manual", second="")
    assert field_items(broken, "Primary goals:") != [shown_inline("**Zero** manual")]
    unescaped = SECTION.format(first="- Primary goals:\n  1. # Heading", second="")
    assert block_structure(unescaped) != block_structure(section_with("plain"))
    indented = SECTION.format(first="- Primary goals:\n  1.     code", second="")
    assert block_structure(indented) != block_structure(section_with("plain"))
    html = SECTION.format(first="- Primary goals:\n  1. <details>", second="")
    assert block_structure(html) != block_structure(section_with("plain"))
    assert opens_html_block("<details>")
    assert not opens_html_block("<span>x</span> y")
    checklist = SECTION.format(first="- Primary goals:\n- [ ] task", second="")
    assert line_structure(checklist) != line_structure(section_with("plain"))
    assert plan_check_view(checklist) != plan_check_view(section_with("plain"))


# --- Whole renders: every answer at once, through copier -----------------------------------


def plan_of(project: Path) -> str:
    plan = project / PLAN
    assert plan.is_file(), f"{PLAN} was not generated"
    return plan.read_text(encoding="utf-8")


def render_plan(template: Path, answers: Mapping[str, str]) -> str:
    """The plan the answers give (only that file is rendered)."""
    with TemporaryDirectory() as temporary:
        project = render_in_process(template, Path(temporary) / "project", answers, only=PLAN)
        return plan_of(project)


# The label of each free-text answer's field in the plan.
LABELS = {key: SECTION_1_LABELS[key] for key in FREE_TEXT_KEYS}

HOSTILE_LINES = {
    "problem_statement": "# Heading\n## Another\n#no-space hashtag",
    "problem_audience": "- [ ] unchecked\n- [x] checked\n  - [ ] indented\n* [ ] star",
    "problem_gap": "```\nfenced\n```\n~~~",
    "goals_primary": "---\n===\n***\n> quoted\n1. numbered\n1) numbered",
    "goals_secondary": "<!-- comment\n<details>\n-->",
    "non_goals": "| a | b |\n| - | - |\n    indented code",
    "user_personas": "{{ project_name }}\n{% if x %}\n${{ secrets.TOKEN }}",
    "user_technical_level": "**Zero** manual re-typing\n_TBD_ on purpose\n[ref]: /x",
    "success_functional": "\t tab first \\ back\\slash \"double\" 'single'   ",
    "success_performance": "😀 日本語 עברית\r\nwindows line\rold mac line",
    "success_business": "",
}
any_answers = st.fixed_dictionaries(
    dict.fromkeys(FREE_TEXT_KEYS, st.one_of(any_text, markdown_lines))
)


def plain_answers(answers: Mapping[str, str]) -> dict[str, str]:
    return {key: plain(answer) for key, answer in answers.items()}


def test_every_free_text_answer_has_its_field() -> None:
    assert set(LABELS) == set(FREE_TEXT_KEYS)


@pytest.mark.slow
@SLOW_EXAMPLES
@given(any_answers)
@example(dict.fromkeys(FREE_TEXT_KEYS, ""))
@example(dict.fromkeys(FREE_TEXT_KEYS, "\r\n "))
@example(HOSTILE_LINES)
def test_any_free_text_keeps_every_file_valid_and_reaches_the_plan_unchanged_in_its_structure(
    plain_template: Path, answers: dict[str, str]
) -> None:
    """One render with the answers, one with plain answers of as many lines to compare with."""
    with TemporaryDirectory() as temporary:
        project = render_in_process(plain_template, Path(temporary) / "project", answers)
        parse_structured_files(project)
        recorded = read_answers(project)
        # An answer of blank lines only is recorded empty, as an answer left empty is.
        assert {key: recorded[key] for key in answers} == {
            key: answer if answer.strip() else "" for key, answer in answers.items()
        }
        assert whitespace_fixer_complaints(project) == []
        plan = plan_of(project)
    for key, answer in answers.items():
        shown = [shown_inline(line) for line in answer_lines(answer)]
        assert field_items(plan, LABELS[key]) == shown, f"{key} does not show as typed"
    baseline = render_plan(plain_template, plain_answers(answers))
    assert block_structure(plan) == block_structure(baseline)
    assert plan_check_view(plan) == plan_check_view(baseline)
    assert line_structure(plan) == line_structure(baseline)


@pytest.mark.slow
def test_markdown_typed_at_the_start_of_a_line_reads_as_typed_in_the_rendered_plan(
    plain_template: Path,
) -> None:
    plan = render_plan(plain_template, HOSTILE_LINES)
    for key, answer in HOSTILE_LINES.items():
        shown = [shown_inline(line) for line in answer_lines(answer)]
        assert field_items(plan, LABELS[key]) == shown, key
    overview = parse(plan).sections["1"]
    assert (overview.fields, len(overview.unfilled), overview.checklist) == (
        SECTION_1_FIELD_COUNT,
        1,
        0,
    )
