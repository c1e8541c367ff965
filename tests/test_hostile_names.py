"""Hostile project names: each is refused with a message naming the question, or generates a
project whose checks pass, and nothing is ever written outside the destination.

Every accepted name goes through the checks a name can change: the files it reaches parse, the
Python code it reaches passes ruff's lint and format check (the names sit in imports, strings
and the package docstring), pre-commit's whitespace fixers find nothing, and every file lands
inside the destination. The full toolchain (uv sync, pytest, mypy, ruff) runs on three
projects at the extremes instead of on every name: the longest allowed names, a leading digit
and a name of accents and symbols, in each kind of starting code. Beyond its length and its
being a valid identifier, a name cannot change what mypy or pytest find, and ruff has already
seen every name in the table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .helpers.copier_runs import read_answers, refusal_of, render_in_process
from .helpers.generated_files import parse_structured_files
from .helpers.processes import run
from .helpers.project_checks import CHECKS, ruff_complaints


@dataclass(frozen=True)
class Accepted:
    """The name generates a project with these derived names."""

    slug: str
    package: str


@dataclass(frozen=True)
class Refused:
    """The name is refused: the message names `question` and contains `words`."""

    question: str
    words: str


@dataclass(frozen=True)
class Case:
    project_name: str
    outcome: Accepted | Refused
    answers: Mapping[str, str] = field(default_factory=dict)


CASES = [
    # Paths: the names derived from them are plain words, and nothing is written outside.
    Case("../../evil", Accepted("evil", "evil")),
    Case("/etc/passwd", Accepted("etc-passwd", "etc_passwd")),
    Case("~/.ssh/authorized_keys", Accepted("ssh-authorized-keys", "ssh_authorized_keys")),
    Case("C:\\Windows\\System32", Accepted("c-windows-system32", "c_windows_system32")),
    Case("a/b\\c", Accepted("a-b-c", "a_b_c")),
    Case("..", Refused("project_name", "No Latin letter or digit")),
    Case("/", Refused("project_name", "No Latin letter or digit")),
    Case("Evil", Refused("project_slug", "Invalid slug"), {"project_slug": "../evil"}),
    Case("Evil", Refused("package_name", "Invalid name"), {"package_name": "../x"}),
    Case("Evil", Refused("package_name", "Invalid name"), {"package_name": "/etc"}),
    Case(
        "Evil",
        Refused("distribution_name", "Invalid name"),
        {"distribution_name": "../../x"},
    ),
    # Shell, Jinja, TOML and Markdown syntax.
    Case("$(rm -rf ~) `id`; echo", Accepted("rm-rf-id-echo", "rm_rf_id_echo")),
    Case("{{ 7*7 }} {% raw %}", Accepted("7-7-raw", "py7_7_raw")),
    Case(
        'Robert"); DROP TABLE students;--',
        Accepted("robert-drop-table-students", "robert_drop_table_students"),
    ),
    Case("O'Brien's \"Quoted\" Tool \\", Accepted("obriens-quoted-tool", "obriens_quoted_tool")),
    Case("# Heading - [ ] item", Accepted("heading-item", "heading_item")),
    Case('""" docstring breaker', Accepted("docstring-breaker", "docstring_breaker")),
    Case(">>> x=1 #", Accepted("x-1", "x_1")),
    Case('key = "value" [table]', Accepted("key-value-table", "key_value_table")),
    # YAML-looking words stay strings.
    Case("yes", Accepted("yes", "yes")),
    Case("null", Accepted("null", "null")),
    Case("~ 0x10", Accepted("0x10", "py0x10")),
    # Scripts, accents, emoji and invisible characters.
    Case("Café Crème", Accepted("cafe-creme", "cafe_creme")),
    Case("3D Viewer", Accepted("3d-viewer", "py3d_viewer")),
    Case("😀 Emoji Tool 🚀", Accepted("emoji-tool", "emoji_tool")),
    Case("\u202eevil\u202c \u200bzero width", Accepted("evil-zero-width", "evil_zero_width")),
    Case("Bob\u2019s \u201cTool\u201d \u2013 fast", Accepted("bobs-tool-fast", "bobs_tool_fast")),
    Case("日本語ツール", Refused("project_name", "No Latin letter or digit")),
    Case(
        "日本語ツール", Accepted("nihongo-tool", "nihongo_tool"), {"project_slug": "nihongo-tool"}
    ),
    Case("   padded   ", Refused("project_name", "Spaces at ends")),
    Case(",<>,", Accepted("commas", "commas"), {"project_slug": "commas"}),
    # Names that clash with what the project uses get a suffix.
    Case("Pytest", Accepted("pytest-project", "pytest_project")),
    Case("JSON", Accepted("json", "json_project")),
    Case("class", Accepted("class", "class_project")),
    Case("CON", Accepted("con-project", "con_project")),
    # Lengths, and what cannot be one line.
    Case("x" * 100, Accepted("x" * 40, "x" * 40)),
    Case("x" * 101, Refused("project_name", "Too long")),
    Case("", Refused("project_name", "Empty")),
    Case("   ", Refused("project_name", "Empty")),
    Case("line\nbreak", Refused("project_name", "Not one line")),
    Case("tab\tname", Refused("project_name", "Not one line")),
    Case("nul\x00name", Refused("project_name", "Not one line")),
    Case("escape\x1b[31m", Refused("project_name", "Not one line")),
]


def case_id(case: Case) -> str:
    extra = ",".join(f"{key}={value}" for key, value in case.answers.items())
    return repr(case.project_name[:30]) + (f"+{extra}" if extra else "")


def every_path_under(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case_id(case) for case in CASES])
def test_hostile_project_name_is_refused_naming_the_question_or_generates_a_clean_project(
    plain_template: Path, tmp_path: Path, case: Case
) -> None:
    template_before = every_path_under(plain_template)
    destination = tmp_path / "project"
    answers = {"project_name": case.project_name, **case.answers}
    refusal = refusal_of(plain_template, destination, answers)

    assert every_path_under(plain_template) == template_before
    written = every_path_under(tmp_path)
    assert all(path == destination or destination in path.parents for path in written)
    assert all(path.resolve().is_relative_to(destination) for path in written)

    if isinstance(case.outcome, Refused):
        assert refusal is not None, f"{case.project_name!r} was accepted"
        expected = f"Validation error for question '{case.outcome.question}': "
        assert refusal.startswith(expected), refusal
        assert case.outcome.words in refusal, refusal
        assert not written
        return

    assert refusal is None, refusal
    recorded = read_answers(destination)
    assert recorded["project_name"] == case.project_name
    assert (recorded["project_slug"], recorded["package_name"]) == (
        case.outcome.slug,
        case.outcome.package,
    )
    assert (destination / "src" / case.outcome.package / "__init__.py").is_file()
    readme = (destination / "README.md").read_text()
    assert readme.startswith(f"# {case.project_name.strip()}\n")
    parse_structured_files(destination)
    assert ruff_complaints(destination) == ""


# Projects at the extremes, through the whole generated toolchain.
SLUG_40 = "reconciliation-" * 2 + "ledger-run"
PACKAGE_40 = "nightly_ledger_" * 2 + "reconciler"
EXTREMES: dict[str, dict[str, Any]] = {
    # A leading digit, accents, symbols, derived names near the limit; web app code (pages,
    # pydantic settings, the browser test).
    "web-digit-accents": {
        "project_type": "web_app",
        "project_name": "3D Çafé Ünïcödé \u2014 Reconciliation \u201cViewer\u201d for Nørdic",
    },
    # Every name exactly at the limit, each different; automation code (a command with jobs).
    "automation-longest-names": {
        "project_type": "automation",
        "project_name": "Nightly Ledger Reconciler",
        "project_slug": SLUG_40,
        "distribution_name": "d" + SLUG_40[1:],
        "package_name": PACKAGE_40,
    },
    # Quotes and backslashes in the name, author and organisation; library code.
    "library-quotes": {
        "project_type": "library",
        "project_name": 'O\'Brien "Quoted" \\ Tool: {{ x }} # yes',
        "author_name": 'Ada "Countess" Lovelace \\ R&D',
        "organisation": 'Müller & Söhne "Zürich" {{ org }}',
        "package_name": PACKAGE_40,
    },
}


@pytest.fixture(scope="session")
def extreme_project(
    plain_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """Each extreme project generated and synced once per session, on first use."""

    @functools.cache
    def get(name: str) -> Path:
        destination = tmp_path_factory.mktemp(name) / "project"
        render_in_process(plain_template, destination, EXTREMES[name])
        run(["uv", "sync"], destination)
        return destination

    return get


@pytest.mark.slow
@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in EXTREMES]
)
def test_project_with_extreme_names_passes_the_generated_checks(
    extreme_project: Callable[[str], Path], name: str, check: str
) -> None:
    project = extreme_project(name)
    recorded = read_answers(project)
    for key in ("project_slug", "package_name", "distribution_name"):
        if key in EXTREMES[name]:
            assert len(EXTREMES[name][key]) == 40
            assert recorded[key] == EXTREMES[name][key]
    if name == "web-digit-accents":
        assert recorded["project_slug"] == "3d-cafe-unicode-reconciliation-viewer"
        assert recorded["package_name"] == "py3d_cafe_unicode_reconciliation_viewer"
    run(CHECKS[check], project)
