"""Whatever a person types or pastes into the free-text answers, every generated TOML, YAML
and JSON file parses, the answers are recorded as typed, and they reach implementation.md
unchanged without changing its structure. One render per example serves every check: a
render takes about half a second.

The contract of implementation.md (answer_field in copier/macros.jinja): each
answer is written one bullet (`  * `) per line, verbatim but for trailing whitespace and one
backslash before a first character that could open a Markdown block, blank lines skipped;
an empty answer leaves its field visibly unfilled. Whatever the answers, the
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
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from .helpers.copier_runs import read_answers, render_in_process
from .helpers.generated_files import parse_structured_files, whitespace_fixer_complaints
from .helpers.markdown import plan_bullet
from .helpers.text_strategies import FREE_TEXT_KEYS, SLOW_EXAMPLES, any_text

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


def plan_of(project: Path) -> str:
    plan = project / PLAN
    assert plan.is_file(), f"{PLAN} was not generated"
    return plan.read_text(encoding="utf-8")


def render_plan(template: Path, answers: Mapping[str, str]) -> str:
    with TemporaryDirectory() as temporary:
        return plan_of(render_in_process(template, Path(temporary) / "project", answers))


@pytest.fixture(scope="session")
def empty_plan(plain_template: Path) -> Callable[[], str]:
    """implementation.md with every free-text answer empty, rendered once on first use."""
    cache: list[str] = []

    def get() -> str:
        if not cache:
            cache.append(render_plan(plain_template, dict.fromkeys(FREE_TEXT_KEYS, "")))
        return cache[0]

    return get


def lines_missing_from(plan: str, answer: str) -> list[str]:
    """The answer's lines that are not in the plan as bullets, in the answer's order."""
    shown = iter(plan.splitlines())
    return [
        BULLET + plan_bullet(line)
        for line in answer_lines(answer)
        if BULLET + plan_bullet(line) not in shown
    ]


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
any_answers = st.fixed_dictionaries(dict.fromkeys(FREE_TEXT_KEYS, any_text))


@pytest.mark.slow
@SLOW_EXAMPLES
@given(any_answers)
@example(dict.fromkeys(FREE_TEXT_KEYS, ""))
@example(HOSTILE_LINES)
def test_any_free_text_keeps_every_file_valid_and_reaches_the_plan_unchanged_in_its_structure(
    plain_template: Path, empty_plan: Callable[[], str], answers: dict[str, str]
) -> None:
    with TemporaryDirectory() as temporary:
        project = render_in_process(plain_template, Path(temporary) / "project", answers)
        parse_structured_files(project)
        recorded = read_answers(project)
        assert {key: recorded[key] for key in answers} == answers
        assert whitespace_fixer_complaints(project) == []
        plan = plan_of(project)
    for key, answer in answers.items():
        assert lines_missing_from(plan, answer) == [], f"{key} did not reach {PLAN} unchanged"
    assert line_structure(plan) == line_structure(empty_plan())


@pytest.mark.slow
@SLOW_EXAMPLES
@given(any_answers)
@example(HOSTILE_LINES)
def test_answers_add_no_heading_and_no_task_item_to_the_rendered_plan(
    plain_template: Path, empty_plan: Callable[[], str], answers: dict[str, str]
) -> None:
    plan = render_plan(plain_template, answers)
    assert rendered_structure(plan) == rendered_structure(empty_plan())


def test_structure_readers_see_headings_and_checklist_items() -> None:
    """The two readers above find what they look for (so an empty result proves something)."""
    text = "# Title\n\n## Part\n\n- [ ] open\n- [x] done\n\n```\n# not a heading\n```\n"
    assert line_structure(text) == ["# Title", "## Part", "- [ ] open", "- [x] done"]
    assert rendered_structure(text) == ["h1 Title", "h2 Part", "task open", "task done"]
    assert rendered_structure("- Goals:\n  * # Heading\n") == ["h1 Heading"]


def shown_text(markdown_line: str) -> str:
    """The plain text a CommonMark renderer shows for one line of Markdown."""
    parts = []
    for token in MARKDOWN.parse(markdown_line):
        if token.type == "inline":
            parts += [child.content for child in token.children or [] if child.content]
        elif token.type in {"code_block", "fence", "html_block"}:
            parts.append(token.content)
    return "".join(parts)


def test_markdown_typed_at_the_start_of_a_line_reads_as_typed_in_the_rendered_plan(
    plain_template: Path,
) -> None:
    plan = render_plan(plain_template, HOSTILE_LINES).splitlines()
    for key, answer in HOSTILE_LINES.items():
        for line in answer_lines(answer):
            bullet = BULLET + plan_bullet(line)
            assert bullet in plan, f"{key}: {line!r} is not in the plan"
            assert shown_text(bullet.strip()).strip() == line.strip(), f"{key}: {line!r}"
