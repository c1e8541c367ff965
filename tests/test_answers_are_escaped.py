"""Whatever a person types or pastes into an answer, every generated file stays valid and the
answer is recorded exactly as typed."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .support import (
    SECTION_1_KEYS,
    TEMPLATE_ROOT,
    jinja_macros,
    parse_structured_files,
    refusal_of,
    render_in_process,
    run,
    whitespace_fixer_complaints,
)

# The multi-line free-text answers of section 1.
FREE_TEXT_KEYS = tuple(
    key for key in SECTION_1_KEYS if key not in {"project_name", "project_type", "platforms"}
)
# Free-text answers that must fit on one line; their validators refuse the rest.
ONE_LINE_KEYS = ("project_name", "author_name", "organisation")

# What people paste, and what trips up TOML, YAML, JSON, Markdown and Jinja.
FRAGMENTS = (
    '"',
    "'",
    "\\",
    '\\"',
    '"""',
    "'''",
    ":",
    ": ",
    "#",
    "# ",
    "## ",
    "- [ ] ",
    "- [x] ",
    "* ",
    "1. ",
    "> ",
    "---",
    "...",
    "```",
    "<!-- ",
    "{{ x }}",
    "{% if %}",
    "{#",
    "${{ github.token }}",
    "[[section]]",
    "{ a = 1 }",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "0x10",
    "0o17",
    "1e3",
    "2026-01-31",
    "true",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    "%",
    "@",
    "`",
    ",",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\u00a0",
    "é",
    "日本語",
    "Ωμέγα",
    "עברית",
    "😀",
    "👩‍💻",
    "\N{MATHEMATICAL FRAKTUR CAPITAL U}\N{MATHEMATICAL FRAKTUR SMALL N}",
    " ",
    "   ",
    "word " * 400,
)
any_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS)), max_size=10).map(
    "".join
)


@settings(max_examples=500)
@given(st.one_of(st.text(), any_text))
@example("tab\there, newline\nthere")
@example("😀 beyond the basic plane")
def test_toml_str_writes_a_toml_string_holding_exactly_the_text(text: str) -> None:
    toml_str = jinja_macros("copier/macros.jinja").toml_str
    rendered = toml_str(text)
    assert "\n" not in rendered
    assert tomllib.loads(f"value = {rendered}\n") == {"value": text}


def recorded_answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text("utf-8"))
    return answers


def ruff_complaints(project: Path) -> str:
    """What ruff's lint and format check say about the generated Python code ("" if nothing)."""
    ruff = Path(sys.executable).with_name("ruff")
    lint = run([ruff, "check", "--no-cache", "--quiet", "."], project, check=False)
    form = run([ruff, "format", "--no-cache", "--check", "--quiet", "."], project, check=False)
    return "".join(
        completed.stdout + completed.stderr
        for completed in (lint, form)
        if completed.returncode != 0
    )


SLOW_EXAMPLES = settings(
    max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@SLOW_EXAMPLES
@given(st.fixed_dictionaries(dict.fromkeys(FREE_TEXT_KEYS, any_text)))
@example(dict.fromkeys(FREE_TEXT_KEYS, ""))
@example(
    {
        **dict.fromkeys(FREE_TEXT_KEYS, "yes"),
        "problem_audience": "null",
        "problem_gap": "~",
        "goals_primary": "0x10",
        "goals_secondary": "# Heading\n- [ ] item\n  - [x] done",
        "non_goals": "{{ project_name }} {% raw %} ${{ secrets.X }}",
        "user_personas": "key: value\n- list\n---\n...",
        "success_functional": "\t tabbed \\ back\\slash \"quoted\" 'single'   ",
        "success_business": "😀 日本語 \u202e\u2028\x85\x00\r\n",
    }
)
def test_any_free_text_keeps_every_generated_file_valid_and_is_recorded_as_typed(
    plain_template: Path, answers: dict[str, str]
) -> None:
    with TemporaryDirectory() as temporary:
        project = render_in_process(plain_template, Path(temporary) / "project", answers)
        parse_structured_files(project)
        recorded = recorded_answers(project)
        assert {key: recorded[key] for key in answers} == answers
        assert whitespace_fixer_complaints(project) == []


@SLOW_EXAMPLES
@given(st.sampled_from(ONE_LINE_KEYS), any_text)
@example("project_name", 'O\'Brien "Quoted" \\ Tool: {{ x }} # - [ ] yes')
@example("project_name", "Bob\u2019s \u201cTool\u201d \u2013 \uff26\uff35\uff2c\uff2c 日本語 Ü")
@example("project_name", "line\nbreak")
@example("project_name", "Trailing space ")
@example("author_name", 'Ada "Countess" Lovelace; R&D: ops@x \\ 😀')
@example("organisation", 'Müller & Söhne <GmbH>, "Zürich"')
def test_any_one_line_answer_is_refused_naming_its_question_or_generates_valid_files(
    plain_template: Path, key: str, value: str
) -> None:
    with TemporaryDirectory() as temporary:
        destination = Path(temporary) / "project"
        refusal = refusal_of(plain_template, destination, {key: value})
        if refusal is not None:
            assert f"Validation error for question '{key}'" in refusal
            assert not (destination / "pyproject.toml").exists()
            return
        parse_structured_files(destination)
        assert recorded_answers(destination)[key] == value
        assert whitespace_fixer_complaints(destination) == []
        assert ruff_complaints(destination) == ""


# Values rendered into TOML or YAML templates that need no escaping: choices and the loop over
# the computed Python versions. Everything else must go through toml_str or to_nice_yaml.
UNESCAPED_BY_DESIGN = {"license", "python_min", "version", "project_slug"}
EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
RAW = re.compile(r"\{% raw %\}.*?\{% endraw %\}")


@pytest.mark.parametrize(
    "path",
    sorted(
        path.relative_to(TEMPLATE_ROOT).as_posix()
        for path in (TEMPLATE_ROOT / "template").rglob("*.jinja")
        if re.search(r"\.(toml|ya?ml|json)(\{%.*%\})?\.jinja$", path.name)
    ),
)
def test_every_answer_rendered_into_a_structured_file_is_escaped(path: str) -> None:
    """toml_str (TOML), to_nice_yaml or tojson (YAML, JSON) around every answer; `project_slug`
    only as a TOML bare key, which its validator keeps to letters, digits and hyphens."""
    for number, line in enumerate((TEMPLATE_ROOT / path).read_text().splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue  # A comment: nothing a parser reads as a value.
        for expression in EXPRESSION.findall(RAW.sub("", line)):
            escaped = (
                expression.startswith("toml_str(")
                or expression.endswith("to_nice_yaml")
                # A JSON string is a YAML double-quoted scalar.
                or (expression.endswith("| tojson") and not path.endswith(".toml.jinja"))
            )
            assert escaped or expression in UNESCAPED_BY_DESIGN, f"{path}:{number}: {line}"
            if expression == "project_slug":
                assert line.startswith("{{ project_slug }} = "), f"{path}:{number}: {line}"
