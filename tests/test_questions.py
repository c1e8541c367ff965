"""The questions: section 1 of the plan in its order, help and defaults everywhere, validators."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers.copier_runs import copier_copy, read_answers, refusal_of, render_in_process
from .helpers.facts import QUESTIONS, SECTION_1_KEYS
from .helpers.template_repo import TEMPLATE_ROOT

# The section-1 answer keys: a public interface (automation writes them), so this test states
# them once more on purpose. A key renamed here needs a migration and a changelog entry.
SECTION_1_CONTRACT = (
    "project_name",
    "project_type",
    "problem_statement",
    "problem_audience",
    "problem_gap",
    "goals_primary",
    "goals_secondary",
    "non_goals",
    "user_personas",
    "user_technical_level",
    "platforms",
    "success_functional",
    "success_performance",
    "success_business",
)


def test_section_1_questions_come_first_in_the_plans_order() -> None:
    asked = [key for key, question in QUESTIONS.items() if question.get("when") is not False]
    assert tuple(asked)[: len(SECTION_1_CONTRACT)] == SECTION_1_CONTRACT == SECTION_1_KEYS


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
        "owners",
        "security_contact",
        "catalog_entry",
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
    ("project_name", "", "Empty"),
    ("project_name", "日本語ツール", "No Latin letter or digit"),
    ("project_slug", "Not A Slug", "Invalid slug"),
    ("distribution_name", "Bad_Name", "Invalid name"),
    ("package_name", "my-package", "Invalid name"),
    ("package_name", "json", "Stdlib module"),
    ("author_name", "Ada, Bob", "Comma or bracket"),
    ("author_email", "not-an-email", "Invalid"),
    ("organisation", "", "Empty"),
    ("copyright_year", "soon", "Not a year"),
    ("license", "WTFPL", "WTFPL"),
    ("ci", "jenkins", "jenkins"),
    ("python_min", "3.9", "3.9"),
    ("project_type", "game", "game"),
    ("stack", "rust", "rust"),
    ("platforms", ["linux", "amiga"], "amiga"),
    ("owners", "@acme/pay ments", "Not a handle or e-mail"),
    ("owners", "@acme/payments; rm -rf ~", "Shell or Markdown character"),
    ("security_contact", "security-at-acme.example", "Not an e-mail or https URL"),
    ("catalog_system", "Invoicing Platform", "Invalid name"),
    ("catalog_lifecycle", "beta", "beta"),
]


# Questions with choices: copier itself refuses other values, before any validator.
CHOICES = {
    "license",
    "ci",
    "python_min",
    "project_type",
    "stack",
    "platforms",
    "catalog_lifecycle",
}


def says_what_would_be_right(message: str) -> bool:
    """A validator's message gives an example of a good answer; copier lists the choices."""
    return '; try "' in message or "is not in [" in message


# Refused through the `copier` CLI, as a user sees it: every question copier itself refuses
# (its choices) and two a validator refuses. Every validator's refusal reaches the terminal the
# same way, so the messages of all the others are checked in-process (EDGE_CASES, below).
CLI_REFUSALS = [
    (key, value, message)
    for key, value, message in INVALID_ANSWERS
    if key in CHOICES or (key, value) in {("project_name", ""), ("owners", "@acme/pay ments")}
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "value", "message"),
    CLI_REFUSALS,
    ids=[f"{key}={value!r}" for key, value, _ in CLI_REFUSALS],
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
    assert says_what_would_be_right(output), output
    assert not (tmp_path / "project" / "pyproject.toml").exists()


# More wrong values, checked in-process (the same validation, without a CLI start each);
# hostile project names: test_hostile_names.py. The fast lane checks the wrong values above
# this way too.
EDGE_CASES = [
    *((key, value, message) for key, value, message in INVALID_ANSWERS if key not in CHOICES),
    ("project_name", "Trailing space ", "Spaces at ends"),
    ("project_name", "\u00a0Leading no-break space", "Spaces at ends"),
    ("project_name", "next\x85line", "Not one line"),
    ("project_name", "line\u2028separator", "Not one line"),
    ("project_name", "!!!", "No Latin letter or digit"),
    ("project_slug", "", "Empty"),
    ("project_slug", "../evil", "Invalid slug"),
    ("project_slug", "-dash-", "Invalid slug"),
    ("project_slug", "a--b", "Invalid slug"),
    ("project_slug", "s" * 41, "Too long"),
    ("project_slug", "pytest", "Name in use"),
    ("project_slug", "git", "Name in use"),
    ("project_slug", "con", "Windows name"),
    ("distribution_name", "/etc/passwd", "Invalid name"),
    ("distribution_name", "d" * 41, "Too long"),
    ("distribution_name", "uvicorn", "Name in use"),
    ("package_name", "", "Invalid name"),
    ("package_name", "1abc", "Invalid name"),
    ("package_name", "../../evil", "Invalid name"),
    ("package_name", "Upper", "Invalid name"),
    ("package_name", "p" * 41, "Too long"),
    ("package_name", "class", "A keyword"),
    ("package_name", "match", "A keyword"),
    ("package_name", "compression", "Stdlib module"),
    ("package_name", "pytest", "Name in use"),
    ("package_name", "click", "Name in use"),
    ("package_name", "aux", "Windows name"),
    ("author_name", "", "Empty"),
    ("author_name", " Ada", "Spaces at ends"),
    ("author_name", "Ada <ada@example.com>", "Comma or bracket"),
    ("author_name", "Ada\nBob", "Not one line"),
    ("author_email", "a@b", "Invalid"),
    ("author_email", 'a"b@example.com', "Invalid"),
    ("organisation", "Org\r\nInc", "Not one line"),
    ("organisation", "Org ", "Spaces at ends"),
    ("copyright_year", "26", "Not a year"),
    ("copyright_year", "2026-2019", "Reversed"),
    ("copyright_year", "2026-2026", "One year as a range"),
    ("owners", "", "Empty"),
    ("owners", " , ", "Empty"),
    ("owners", "@alice @alice", "Listed twice"),
    ("owners", "@acme/finance/ledger", "Not a GitHub user or team"),
    ("owners", "@alice_smith", "Not a GitHub user or team"),
    ("owners", "@-alice", "Invalid handle"),
    ("owners", "@", "Invalid handle"),
    ("owners", "alice", "Not a handle or e-mail"),
    ("owners", "alice@", "Invalid e-mail address"),
    ("owners", "alice@localhost", "Invalid e-mail address"),
    ("owners", "$(id)@acme.example", "Shell or Markdown character"),
    ("owners", "@alice`whoami`", "Shell or Markdown character"),
    ("owners", "@acme/payments|tee", "Shell or Markdown character"),
    ("owners", '"@alice"', "Shell or Markdown character"),
    ("security_contact", "", "Not an e-mail or https URL"),
    ("security_contact", "http://acme.example/security", "Not an https URL"),
    ("security_contact", "https://acme.example/a b", "Not an https URL"),
    ("security_contact", "https://acme.example/<x>", "Not an https URL"),
    ("security_contact", "sec urity@acme.example", "Not an e-mail or https URL"),
    ("catalog_system", "system:Invoicing Platform", "Invalid name"),
    ("catalog_system", "component:invoicing", "Wrong kind"),
    ("catalog_system", "Finance/invoicing", "Invalid namespace"),
    ("catalog_system", "x" * 64, "Invalid name"),
    ("catalog_owner", "@acme/payments", "Invalid namespace"),
    ("catalog_owner", "system:payments", "Wrong kind"),
    ("catalog_owner", "group:payments team", "Invalid name"),
    ("repository_url", "https://github.com/acme/invoice-service.git", "A clone address"),
    ("repository_url", "github.com/acme/invoice-service", "Not a web address"),
    ("repository_url", "https://github.com/acme", "Not a web address"),
    ("repository_url", "https://github.com/acme/x/", "Not a web address"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    EDGE_CASES,
    ids=[f"{key}={str(value)[:20]!r}" for key, value, _ in EDGE_CASES],
)
def test_wrong_answer_is_refused_saying_what_is_wrong_and_what_would_be_right(
    plain_template: Path, tmp_path: Path, key: str, value: str, message: str
) -> None:
    refusal = refusal_of(plain_template, tmp_path / "project", {key: value})
    assert refusal is not None, f"{key}={value!r} was accepted"
    assert refusal.startswith(f"Validation error for question '{key}': "), refusal
    assert message in refusal, refusal
    assert says_what_would_be_right(refusal), refusal
    assert not (tmp_path / "project").exists()


@pytest.mark.slow
def test_a_project_name_without_latin_letters_is_kept_when_the_slug_is_answered(
    plain_template: Path, tmp_path: Path
) -> None:
    answers = {"project_name": "日本語ツール", "project_slug": "nihongo-tool"}
    project = render_in_process(plain_template, tmp_path / "project", answers)
    recorded = read_answers(project)
    assert (recorded["project_name"], recorded["package_name"]) == ("日本語ツール", "nihongo_tool")
    assert (project / "README.md").read_text().startswith("# 日本語ツール\n")
