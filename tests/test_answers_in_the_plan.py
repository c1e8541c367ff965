"""Free-text answers reach implementation.md unchanged and cannot change its structure.

The contract of implementation.md (template/implementation.md.jinja, branch issue-3): each
answer is written one bullet (`  * `) per line, verbatim but for trailing whitespace, blank
lines skipped; an empty answer leaves its field visibly unfilled. Whatever the answers, the
document keeps the headings and checklist items it has with empty answers, both as the plan
check reads it (line by line: a `#` at column 0 starts a heading) and as a Markdown renderer
shows it (GitHub, GitLab, an editor's preview).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from .support import render_in_process
from .test_answers_are_escaped import FREE_TEXT_KEYS, any_text

BULLET = "  * "
PLAN = "implementation.md"


def answer_lines(answer: str) -> list[str]:
    """The lines of an answer as the plan shows them: trailing whitespace and blank lines go."""
    return [line.rstrip() for line in answer.splitlines() if line.strip()]


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


MARKDOWN = MarkdownIt("commonmark").enable("table").use(tasklists_plugin)


def rendered_structure(text: str) -> list[str]:
    """Headings and task-list items, in order, as a CommonMark renderer with task lists shows
    them."""
    found: list[str] = []
    tokens = MARKDOWN.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append(f"{token.tag} {tokens[index + 1].content}")
        elif token.type == "list_item_open" and "task-list-item" in str(token.attrGet("class")):
            found.append(f"task {tokens[index + 2].content.strip()}")
    return found


def plan_of(template: Path, answers: Mapping[str, str]) -> str:
    with TemporaryDirectory() as temporary:
        project = render_in_process(template, Path(temporary) / "project", answers)
        plan = project / PLAN
        assert plan.is_file(), f"{PLAN} was not generated (issue 3 builds it)"
        return plan.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def empty_plan(plain_template: Path) -> Callable[[], str]:
    """implementation.md with every free-text answer empty, rendered once on first use."""
    cache: list[str] = []

    def get() -> str:
        if not cache:
            cache.append(plan_of(plain_template, dict.fromkeys(FREE_TEXT_KEYS, "")))
        return cache[0]

    return get


HOSTILE_LINES = {
    "problem_statement": "# Heading\n## Another\n#no-space hashtag",
    "problem_audience": "- [ ] unchecked\n- [x] checked\n  - [ ] indented\n* [ ] star",
    "problem_gap": "```\nfenced\n```\n~~~",
    "goals_primary": "---\n===\n***\n> quoted\n1. numbered\n1) numbered",
    "goals_secondary": "<!-- comment\n<details>\n-->",
    "non_goals": "| a | b |\n| - | - |\n    indented code",
    "user_personas": "{{ project_name }}\n{% if x %}\n${{ secrets.TOKEN }}",
    "user_technical_level": "yes\nnull\n~\n0x10",
    "success_functional": "\t tab first \\ back\\slash \"double\" 'single'   ",
    "success_performance": "😀 日本語 עברית\r\nwindows line\rold mac line",
    "success_business": "",
}
SLOW_EXAMPLES = settings(
    max_examples=30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
any_answers = st.fixed_dictionaries(dict.fromkeys(FREE_TEXT_KEYS, any_text))


@SLOW_EXAMPLES
@given(any_answers)
@example(HOSTILE_LINES)
def test_every_answer_line_reaches_the_plan_unchanged(
    plain_template: Path, answers: dict[str, str]
) -> None:
    lines = plan_of(plain_template, answers).splitlines()
    for key, answer in answers.items():
        expected = [BULLET + line for line in answer_lines(answer)]
        shown = iter(lines)
        # In order: every expected line is found after the one before it.
        missing = [line for line in expected if line not in shown]
        assert missing == [], f"{key}: these lines did not reach {PLAN} unchanged"


@SLOW_EXAMPLES
@given(any_answers)
@example(HOSTILE_LINES)
def test_answers_add_no_heading_and_no_checklist_item_for_the_plan_check(
    plain_template: Path, empty_plan: Callable[[], str], answers: dict[str, str]
) -> None:
    assert line_structure(plan_of(plain_template, answers)) == line_structure(empty_plan())


@SLOW_EXAMPLES
@given(any_answers)
@example(HOSTILE_LINES)
def test_answers_add_no_heading_and_no_task_item_to_the_rendered_plan(
    plain_template: Path, empty_plan: Callable[[], str], answers: dict[str, str]
) -> None:
    assert rendered_structure(plan_of(plain_template, answers)) == rendered_structure(empty_plan())


def test_structure_readers_see_headings_and_checklist_items() -> None:
    """The two readers above find what they look for (so an empty result proves something)."""
    text = "# Title\n\n## Part\n\n- [ ] open\n- [x] done\n\n```\n# not a heading\n```\n"
    assert line_structure(text) == ["# Title", "## Part", "- [ ] open", "- [x] done"]
    assert rendered_structure(text) == ["h1 Title", "h2 Part", "task open", "task done"]
    assert rendered_structure("- Goals:\n  * # Heading\n") == ["h1 Heading"]
