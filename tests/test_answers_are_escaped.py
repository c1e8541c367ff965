"""Whatever a person types or pastes into a one-line answer, it is refused naming its question
or every generated file stays valid; every answer in a TOML or YAML file is escaped.

The multi-line free-text answers: tests/test_answers_in_the_plan.py."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .support import (
    TEMPLATE_ROOT,
    jinja_macros,
    parse_structured_files,
    read_answers,
    refusal_of,
    run,
    whitespace_fixer_complaints,
)
from .text import ONE_LINE_KEYS, SLOW_EXAMPLES, any_text


@settings(max_examples=500)
@given(st.one_of(st.text(), any_text))
@example("tab\there, newline\nthere")
@example("😀 beyond the basic plane")
def test_toml_str_writes_a_toml_string_holding_exactly_the_text(text: str) -> None:
    toml_str = jinja_macros("copier/macros.jinja").toml_str
    rendered = toml_str(text)
    assert "\n" not in rendered
    assert tomllib.loads(f"value = {rendered}\n") == {"value": text}


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
        assert read_answers(destination)[key] == value
        assert whitespace_fixer_complaints(destination) == []
        assert ruff_complaints(destination) == ""


# Values rendered into TOML or YAML templates that need no escaping: choices, the computed
# copier_version constant and the loop over the computed Python versions. Everything else must
# go through toml_str (TOML) or to_nice_yaml or tojson (YAML, JSON).
UNESCAPED_BY_DESIGN = {"license", "python_min", "version", "project_slug", "copier_version"}
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
