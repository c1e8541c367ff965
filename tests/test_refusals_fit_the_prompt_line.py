"""A refused answer says what is wrong and gives a right answer within the first 78 characters
of its message: Copier shows the message on one line under the prompt, after "Validation error
for question '<key>': ", cut at the terminal's width. The example is a right answer: the same
validator accepts it. The longer explanation comes after, and the question's help says it too.

The validators are rendered the way copier renders them (tests/helpers/jinja_modules.py), so
hundreds of answers are checked in seconds; tests/test_questions.py runs them through copier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from wcwidth import wcswidth

from .helpers.facts import QUESTIONS
from .helpers.jinja_modules import render
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.text_strategies import FRAGMENTS, any_text

# What the message must carry this early.
HEAD_LIMIT = 78
# A terminal this wide shows the whole head after copier's prefix.
WIDE_TERMINAL = 120
HEAD = re.compile(r'(?P<problem>[^;]+); try "(?P<example>.*?)"\.(?= |$)')
VALIDATED = [key for key, question in QUESTIONS.items() if question.get("validator")]

# Wrong answers, each refused for another reason, with words its problem names; the longest
# values each message can get are among them.
WRONG = [
    ("project_name", "", "Empty"),
    ("project_name", "   ", "Empty"),
    ("project_name", " padded ", "Spaces at ends"),
    ("project_name", "\u00a0No-break space", "Spaces at ends"),
    ("project_name", "line\nbreak", "Not one line"),
    ("project_name", "tab\tname", "Not one line"),
    ("project_name", "next\x85line", "Not one line"),
    ("project_name", "x" * 101, "Too long (101 > 100)"),
    ("project_name", "word " * 200, "Too long (1000 > 100)"),
    ("project_name", "日本語ツール", "No Latin letter or digit"),
    ("project_name", "..", "No Latin letter or digit"),
    ("project_slug", "", "Empty"),
    ("project_slug", "Not A Slug", "Invalid slug"),
    ("project_slug", "Quarterly Financial Reconciliation Service for the Nordics", "Invalid slug"),
    ("project_slug", "s" * 41, "Too long (41 > 40)"),
    ("project_slug", "s" * 1000, "Too long (1000 > 40)"),
    ("project_slug", "con", "Windows name"),
    ("project_slug", "pytest", "Name in use"),
    ("project_slug", "identify-cli", "Name in use"),
    ("project_slug", "opentelemetry-api", "Name in use"),
    ("distribution_name", "Bad_Name", "Invalid name"),
    ("distribution_name", "d" * 41, "Too long"),
    ("distribution_name", "uvicorn", "Name in use"),
    ("distribution_name", "opentelemetry-api", "Name in use"),
    ("package_name", "my-package", "Invalid name"),
    ("package_name", "json", "Stdlib module"),
    ("package_name", "multiprocessing", "Stdlib module"),
    ("package_name", "class", "A keyword"),
    ("package_name", "aux", "Windows name"),
    ("package_name", "typing_extensions", "Name in use"),
    ("package_name", "p" * 41, "Too long"),
    ("author_name", "", "Empty"),
    ("author_name", "Ada, Bob", "Comma or bracket"),
    ("author_name", "Ada Lovelace <ada@example.com>", "Comma or bracket"),
    ("author_name", "Ada\nBob", "Not one line"),
    ("author_email", "not-an-email", "Invalid"),
    ("author_email", "x" * 300, "Invalid"),
    ("organisation", "", "Empty"),
    ("organisation", "Org ", "Spaces at ends"),
    ("organisation", "Org\r\nInc", "Not one line"),
    ("copyright_year", "soon", "Not a year"),
    ("copyright_year", "2026-2019", "Reversed"),
    ("copyright_year", "2026-2026", "One year as a range"),
    ("owners", "", "Empty"),
    ("owners", "@acme/payments @acme/payments", "Listed twice"),
    ("owners", "@" + "a" * 200 + " @" + "a" * 200, "Listed twice"),
    ("owners", "alice", "Not a handle or e-mail"),
    ("owners", "a" * 60, "Not a handle or e-mail"),
    ("owners", "@-alice", "Invalid handle"),
    ("owners", "alice@localhost", "Invalid e-mail address"),
    ("owners", "$(id)", "Shell or Markdown character"),
    ("security_contact", "", "Not an e-mail or https URL"),
    ("security_contact", "http://acme.example/security", "Not an https URL"),
    ("catalog_owner", "system:payments", "Wrong kind"),
    ("catalog_owner", "Finance/payments", "Invalid namespace"),
    ("catalog_owner", "group:payments team", "Invalid name"),
    ("catalog_system", "Invoicing Platform", "Invalid name"),
    ("repository_url", "https://github.com/acme/invoice-service.git", "A clone address"),
    ("repository_url", "https://github.com/" + "a" * 100 + "/x.git", "A clone address"),
    ("repository_url", "github.com/acme/invoice-service", "Not a web address"),
    ("container", "maybe", "Not yes or no"),
    ("docs_site", "", "Not yes or no"),
    ("devcontainer", "si\nno", "Not yes or no"),
]


def refusal(key: str, value: str, answers: Mapping[str, Any] | None = None) -> str:
    """The validator's message for `value` ("" when it is accepted), as copier renders it."""
    context = {**(answers or {}), key: value, "_copier_conf": {"data": {key: value}}}
    return render(str(QUESTIONS[key]["validator"]), context).strip()


def check_refusal(key: str, message: str, answers: Mapping[str, Any] | None = None) -> str:
    """Check a refusal's form; return its problem."""
    assert "\n" not in message, "copier shows one line"
    head = HEAD.match(message)
    assert head is not None, f"no '<problem>; try \"<example>\".' at the start: {message!r}"
    assert head.end() <= HEAD_LIMIT, f"the head is {head.end()} characters: {message!r}"
    prefix = f"Validation error for question '{key}': "
    columns = wcswidth(prefix + head[0])
    assert 0 < columns <= WIDE_TERMINAL, f"{columns} columns: {message!r}"
    assert refusal(key, head["example"], answers) == "", f"the example is refused: {message!r}"
    return head["problem"]


def test_every_validated_question_is_tried() -> None:
    assert {key for key, _, _ in WRONG} == set(VALIDATED)


@pytest.mark.parametrize(
    ("key", "value", "problem"), WRONG, ids=[f"{k}={v[:20]!r}" for k, v, _ in WRONG]
)
def test_a_refusal_starts_with_the_problem_and_a_right_answer(
    key: str, value: str, problem: str
) -> None:
    message = refusal(key, value)
    assert message, f"{key}={value!r} was accepted"
    assert problem in check_refusal(key, message)
    assert len(message) > HEAD.match(message).end() + 10, "the explanation follows"  # type: ignore[union-attr]


def test_the_checks_reject_a_message_that_puts_the_example_late() -> None:
    """The form check fails on the messages this replaced."""
    old = (
        '"json" is a standard-library module: a package of that name would shadow it. Choose '
        'another package name (e.g. "json_project").'
    )
    with pytest.raises(AssertionError, match="no '<problem>"):
        check_refusal("package_name", old)
    wrong_example = 'Not a valid package name; try "json". Use lowercase letters.'
    with pytest.raises(AssertionError, match="the example is refused"):
        check_refusal("package_name", wrong_example)
    too_late = "Problem " + "x" * 80 + '; try "json_project".'
    with pytest.raises(AssertionError, match="the head is"):
        check_refusal("package_name", too_late)


answers = st.one_of(
    any_text,
    st.text(max_size=60),
    st.sampled_from(FRAGMENTS),
    st.from_regex(r"[a-zA-Z0-9_ .-]{0,50}", fullmatch=True),
)


@settings(max_examples=300)
@given(st.sampled_from(VALIDATED), answers, st.booleans())
def test_any_refusal_starts_with_the_problem_and_a_right_answer(
    key: str, value: str, slug_answered: bool
) -> None:
    context = {"project_slug": "my-tool"} if slug_answered and key == "project_name" else {}
    if message := refusal(key, value, context):
        check_refusal(key, message, context)


def test_help_explains_what_the_refusals_say() -> None:
    """The rules behind the messages are in each question's help, before anything is typed."""
    words = {
        "project_name": "100 characters",
        "project_slug": "single hyphens",
        "distribution_name": "lowercase letters, digits and hyphens",
        "package_name": "standard-library module",
        "author_name": "no commas",
        "author_email": "name@domain.tld",
        "organisation": "one line",
        "copyright_year": "2019-2026",
        "owners": "shell characters",
        "security_contact": "an https URL",
        "catalog_owner": "reference",
        "catalog_system": "at most 63 characters",
        "repository_url": "without .git",
    }
    # A yes/no question is asked as one (Copier's prompt says y/n): its help has no rule to add.
    assert set(words) == {key for key in VALIDATED if QUESTIONS[key].get("type") != "bool"}
    for key, needle in words.items():
        assert needle in " ".join(str(QUESTIONS[key]["help"]).split()), key


def test_help_says_how_to_clear_a_suggested_answer() -> None:
    """Copier puts a text question's default in the input line: Ctrl-U clears it."""
    for key, question in QUESTIONS.items():
        default = question.get("default")
        if (
            question.get("when") is False
            or question.get("choices")
            or question.get("type", "str") != "str"
            or not default
        ):
            continue
        assert "Ctrl-U" in str(question["help"]), key


def copier_settings() -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for document in (TEMPLATE_ROOT / "copier.yml").read_text().split("\n---\n"):
        if not document.lstrip().startswith("!include"):
            settings.update(yaml.safe_load(document) or {})
    return settings


def test_help_and_messages_fit_an_80_column_terminal() -> None:
    """Copier prints a question's help after "🎤 " and its messages as they are: a line wider
    than the terminal wraps in the middle of a word."""
    too_wide = []
    for key, question in QUESTIONS.items():
        for number, line in enumerate(str(question.get("help", "")).splitlines()):
            if wcswidth(("🎤 " if number == 0 else "") + line) > 80:
                too_wide.append(f"{key}: {line}")
    settings = copier_settings()
    for stack in ("python", "generic"):
        context = {
            "stack": stack,
            "project_name": "Invoice Reconciliation Service",
            "_copier_conf": {"dst_path": "invoice-reconciliation-service"},
            "_copier_answers": {"_src_path": "starter-template"},  # relative: the warning shows
        }
        for name in ("_message_before_copy", "_message_after_copy", "_message_after_update"):
            message = render(str(settings[name]), context)
            too_wide += [f"{name}: {line}" for line in message.splitlines() if wcswidth(line) > 80]
    assert "WARNING" in render(str(settings["_message_after_copy"]), context)
    assert not too_wide, "\n".join(too_wide)
