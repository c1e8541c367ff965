"""The questions: section 1 of the plan in its order, help and defaults everywhere, validators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .support import SECTION_1_KEYS, TEMPLATE_ROOT, copier_copy


def load_questions() -> dict[str, dict[str, Any]]:
    """copier.yml and its !include files, merged in the order Copier reads them."""

    class Loader(yaml.SafeLoader):
        pass

    def include(_loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        return yaml.load((TEMPLATE_ROOT / str(node.value)).read_text(), Loader)  # noqa: S506

    Loader.add_constructor("!include", include)
    merged: dict[str, Any] = {}
    for document in yaml.load_all((TEMPLATE_ROOT / "copier.yml").read_text(), Loader):
        merged.update(document or {})
    return {key: value for key, value in merged.items() if not key.startswith("_")}


QUESTIONS = load_questions()


def test_section_1_questions_come_first_in_the_plans_order() -> None:
    assert tuple(QUESTIONS)[: len(SECTION_1_KEYS)] == SECTION_1_KEYS


def test_technical_questions_exist() -> None:
    for key in (
        "project_slug",
        "distribution_name",
        "package_name",
        "author_name",
        "author_email",
        "organisation",
        "python_min",
        "license",
        "ci",
        "stack",
    ):
        assert key in QUESTIONS


@pytest.mark.parametrize("key", list(QUESTIONS))
def test_every_question_has_help_and_a_default(key: str) -> None:
    question = QUESTIONS[key]
    assert "default" in question, f"{key} has no default: copier copy --defaults would stop"
    if question.get("when") is not False:
        assert str(question.get("help", "")).strip(), f"{key} has no help text"


def test_no_question_asks_for_a_secret() -> None:
    assert not [key for key, question in QUESTIONS.items() if question.get("secret")]


def test_free_text_answers_may_span_several_lines() -> None:
    free_text = [
        key for key in SECTION_1_KEYS if key not in {"project_name", "project_type", "platforms"}
    ]
    assert all(QUESTIONS[key].get("multiline") for key in free_text)


def test_licence_choices_match_the_licence_texts() -> None:
    choices = set(QUESTIONS["license"]["choices"].values())
    texts = {path.stem for path in (TEMPLATE_ROOT / "copier/licenses").glob("*.txt")}
    assert choices == texts


# Each validated question, with a wrong value and words its message must contain.
INVALID_ANSWERS = [
    ("project_name", "", "must not be empty"),
    ("project_name", "!!!", "at least one ASCII letter"),
    ("project_slug", "Not A Slug", "not a valid slug"),
    ("distribution_name", "Bad_Name", "not a normalised distribution name"),
    ("package_name", "my-package", "not a valid package name"),
    ("package_name", "1abc", "not a valid package name"),
    ("package_name", "class", "keyword"),
    ("package_name", "json", "standard-library module"),
    ("package_name", "pytest", "would shadow a package"),
    ("author_name", "", "must not be empty"),
    ("author_email", "not-an-email", "does not look like an e-mail address"),
    ("author_email", "a@b", "does not look like an e-mail address"),
    ("organisation", "", "must not be empty"),
    ("copyright_year", "soon", "is not a year"),
    ("license", "WTFPL", "WTFPL"),
    ("ci", "jenkins", "jenkins"),
    ("python_min", "3.9", "3.9"),
    ("project_type", "game", "game"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    INVALID_ANSWERS,
    ids=[f"{key}={value!r}" for key, value, _ in INVALID_ANSWERS],
)
def test_invalid_data_fails_naming_the_question(
    tmp_path: Path, key: str, value: str, message: str
) -> None:
    completed = copier_copy(tmp_path / "project", {key: value}, check=False)
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    # "Validation error for question 'x'" or, for choices, "Invalid choice for 'x'".
    assert f"question '{key}'" in output or f"Invalid choice for '{key}'" in output, output
    assert message in output, output
    assert not (tmp_path / "project" / "pyproject.toml").exists()
