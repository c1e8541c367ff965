"""Whatever a person types or pastes into a one-line answer, it is refused naming its question
or every generated file stays valid; every answer in a TOML or YAML file is escaped.

The multi-line free-text answers: tests/test_answers_in_the_plan.py."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .helpers.copier_runs import read_answers, refusal_of
from .helpers.facts import QUESTIONS
from .helpers.generated_files import parse_structured_files, whitespace_fixer_complaints
from .helpers.jinja_modules import jinja_macros
from .helpers.project_checks import ruff_complaints
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.text_strategies import ONE_LINE_KEYS, SLOW_EXAMPLES, any_text


@pytest.mark.slow
@settings(max_examples=500)
@given(st.one_of(st.text(), any_text))
@example("tab\there, newline\nthere")
@example("😀 beyond the basic plane")
def test_toml_str_writes_a_toml_string_holding_exactly_the_text(text: str) -> None:
    toml_str = jinja_macros("copier/macros.jinja").toml_str
    rendered = toml_str(text)
    assert "\n" not in rendered
    assert tomllib.loads(f"value = {rendered}\n") == {"value": text}


@settings(max_examples=200)
@given(st.one_of(st.text(), any_text))
@example('say "hi" \\ # not a comment: {x}')
@example("😀 beyond the basic plane, \u2028 a separator, \x85 a C1 line break, \ufeff a BOM")
def test_yaml_str_writes_a_yaml_string_holding_exactly_the_text(text: str) -> None:
    yaml_str = jinja_macros("copier/macros.jinja").yaml_str
    rendered = yaml_str(text)
    assert "\n" not in rendered
    assert yaml.safe_load(f"value: {rendered}\n") == {"value": text}


@pytest.mark.slow
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


# Answers rendered into TOML or YAML templates that need no escaping: choices (a value of the
# template's own list), python_min and license (choices too), and the names whose validators
# keep them to letters, digits, hyphens and underscores (project_slug, distribution_name;
# env_prefix is the package name upper-cased). Everything else a person types must go through
# toml_str (TOML), yaml_str, to_nice_yaml or tojson (YAML, JSON).
UNESCAPED_BY_DESIGN = {
    "stack",
    "project_type",
    "ci",
    "license",
    "python_min",
    "catalog_lifecycle",
    "project_slug",
    "distribution_name",
    "env_prefix",
}
# Variables a template sets from the template's facts (copier/facts.yml and the company
# settings), never from an answer: a loop over them, or a value built from them.
FACT_VARIABLES = {"version", "hook", "field", "kind", "uv_image", "loop", "on_gitlab"}
JINJA_WORDS = {"if", "else", "not", "and", "or", "in", "is", "true", "false", "none"}
STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
NAME = re.compile(r"(?<![.\w])([A-Za-z_]\w*)\b(?!\s*\()")
FILTER = re.compile(r"\|\s*\w+")
ASKED = {key for key, question in QUESTIONS.items() if question.get("when") is not False}


def unescaped_answers(expression: str) -> set[str]:
    """The names in an unescaped expression that may hold what a person typed: the answers it
    names, other than those safe by design, and any variable that is not one of the facts."""
    names = set(NAME.findall(FILTER.sub("", STRING.sub("", expression)))) - JINJA_WORDS
    answers = (names & ASKED) - UNESCAPED_BY_DESIGN
    unknown = names - set(QUESTIONS) - FACT_VARIABLES
    return answers | unknown


def test_the_escaping_judge_names_what_a_person_may_have_typed() -> None:
    assert unescaped_answers("project_name") == {"project_name"}
    assert unescaped_answers("owners | first") == {"owners"}
    assert unescaped_answers("member ~ '@' ~ ci") == {"member"}  # a variable of unknown origin
    assert unescaped_answers("hooks.ruff.url") == set()
    assert unescaped_answers("actions['setup-uv']") == set()
    assert unescaped_answers("project_types[project_type].catalog") == set()


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
    bare (its validator keeps it to letters, digits and hyphens: a TOML bare key, a word in a
    YAML block of shell commands), in TOML only as a key."""
    for number, line in enumerate((TEMPLATE_ROOT / path).read_text().splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue  # A comment: nothing a parser reads as a value.
        for expression in EXPRESSION.findall(RAW.sub("", line)):
            escaped = (
                expression.startswith(("toml_str(", "yaml_str("))
                or expression.endswith("to_nice_yaml")
                # A JSON string is a YAML double-quoted scalar.
                or (expression.endswith("| tojson") and not path.endswith(".toml.jinja"))
            )
            assert escaped or not unescaped_answers(expression), f"{path}:{number}: {line}"
            if expression == "project_slug" and path.endswith(".toml.jinja"):
                assert line.startswith("{{ project_slug }} = "), f"{path}:{number}: {line}"
