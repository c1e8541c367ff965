"""The generated project's type check catches the type errors a strict check must catch.

tests/type_errors/ holds one snippet per mistake (a missing annotation, an Any leak, Optional
misuse, a wrong return, an untyped call, an incompatible override, an unused ignore...), each
with exactly one line marked `# error:`. The snippets are put into a synced generated project
and checked with the command its CI runs, with its own settings: each marked line must be
reported, and no other line. docs/decisions/0008-type-checker.md chose the checker with them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers.processes import run
from .helpers.project_checks import CHECKS
from .helpers.variants import Variant, variant_params

CORPUS = Path(__file__).parent / "type_errors"
SNIPPETS = sorted(path.name for path in CORPUS.glob("*.py") if not path.name.startswith("_"))
# Where the snippets go in the project: a folder of its own, outside src/ and tests/.
FOLDER = "type_errors"
ERROR_LINE = re.compile(rf"^{FOLDER}/(?P<file>[^:/]+\.py):(?P<line>\d+): error: ", re.MULTILINE)


def expected_errors() -> dict[str, set[int]]:
    """The marked line of every file of the corpus (`_support.py`: none)."""
    expected: dict[str, set[int]] = {}
    for path in sorted(CORPUS.glob("*.py")):
        lines = path.read_text().splitlines()
        expected[path.name] = {
            number for number, line in enumerate(lines, start=1) if "# error:" in line
        }
    return expected


def reported_errors(output: str) -> dict[str, set[int]]:
    """The lines the type check reported an error on, per file of the corpus."""
    reported: dict[str, set[int]] = {name: set() for name in expected_errors()}
    for match in ERROR_LINE.finditer(output):
        reported.setdefault(match["file"], set()).add(int(match["line"]))
    return reported


def misses(output: str) -> dict[str, tuple[set[int], set[int]]]:
    """Per file the check got wrong: (the lines it should have reported, the lines it did)."""
    expected, reported = expected_errors(), reported_errors(output)
    return {
        name: (expected[name], reported[name])
        for name in expected
        if expected[name] != reported[name]
    }


def check_corpus(project: Path, *extra_args: str) -> str:
    """The project's own type check (as CI runs it) over the corpus; everything it printed."""
    shutil.copytree(CORPUS, project / FOLDER, ignore=shutil.ignore_patterns("*.md"))
    try:
        completed = run([*CHECKS["mypy"], *extra_args, FOLDER], project, check=False)
    finally:
        shutil.rmtree(project / FOLDER)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    return completed.stdout + completed.stderr


def test_every_snippet_has_exactly_one_marked_error() -> None:
    expected = expected_errors()
    assert expected.pop("_support.py") == set()
    assert sorted(expected) == SNIPPETS
    assert all(len(lines) == 1 for lines in expected.values()), expected


def test_a_missed_or_extra_error_is_reported() -> None:
    """The comparison itself: a check that misses a snippet, or complains elsewhere, fails."""
    caught = "".join(
        f"{FOLDER}/{name}:{min(lines)}: error: ...  [code]\n"
        for name, lines in expected_errors().items()
        if lines
    )
    assert misses(caught) == {}
    missed = caught.replace(
        f"{FOLDER}/unused_ignore.py:1: error", f"{FOLDER}/unused_ignore.py:1: note"
    )
    assert misses(missed) == {"unused_ignore.py": ({1}, set())}
    extra = caught + f"{FOLDER}/_support.py:7: error: ...  [no-untyped-def]\n"
    assert misses(extra) == {"_support.py": (set(), {7})}


VARIANT_PARAMS = variant_params("defaults")


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANT_PARAMS)
def test_generated_type_check_reports_every_snippet_and_nothing_else(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    output = check_corpus(synced(variant))
    assert misses(output) == {}, output


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANT_PARAMS)
def test_a_weakened_type_check_fails_the_corpus(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    """Without two of the strict settings, the corpus shows what the check stops catching."""
    output = check_corpus(synced(variant), "--no-warn-unused-ignores", "--no-warn-unreachable")
    assert set(misses(output)) == {"unused_ignore.py", "unreachable_code.py"}, output
