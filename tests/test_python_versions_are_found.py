"""The suite finds every Python version a generated project may need, or stops at once."""

from __future__ import annotations

import shutil
import time

from .helpers.facts import SUPPORTED_PYTHONS
from .helpers.processes import run
from .helpers.pythons import make_findable
from .helpers.template_repo import TEMPLATE_ROOT


def test_every_supported_python_answers_on_path() -> None:
    for version in SUPPORTED_PYTHONS:
        python = shutil.which(f"python{version}")
        assert python, f"python{version} is not on PATH"
        completed = run([python, "-c", "import sys; print(sys.version_info[:2])"], TEMPLATE_ROOT)
        assert completed.stdout.strip() == f"({version.replace('.', ', ')})"


def test_a_missing_python_stops_with_one_line_saying_what_to_install() -> None:
    started = time.monotonic()
    problems = make_findable(["3.99"])
    assert time.monotonic() - started < 10
    assert len(problems) == 1
    (problem,) = problems
    assert "\n" not in problem
    assert problem.startswith("Python 3.99 is needed")
    assert "uv python install 3.99" in problem
