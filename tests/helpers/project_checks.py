"""A generated Python project's own checks, as its CI runs them, and ruff's verdict on a tree."""

from __future__ import annotations

from pathlib import Path

from .processes import BIN, run

# The checks CI runs in a synced generated project (scripts/check runs the same ones).
CHECKS = {
    "pytest": ["uv", "run", "--frozen", "pytest", "-p", "no:cacheprovider"],
    "ruff-check": ["uv", "run", "--frozen", "ruff", "check", "--no-cache", "."],
    "ruff-format": ["uv", "run", "--frozen", "ruff", "format", "--no-cache", "--check", "."],
    "mypy": ["uv", "run", "--frozen", "mypy"],
}
# The end-to-end tests (marked e2e), which the default pytest run leaves out: CI's job for them
# (projects whose type has a program to start: not a library).
E2E_TESTS = ["uv", "run", "--frozen", "pytest", "-p", "no:cacheprovider", "-m", "e2e", "--no-cov"]


def ruff_complaints(project: Path) -> str:
    """What ruff's lint and format check say about the generated Python code ("" if nothing)."""
    ruff = BIN / "ruff"
    lint = run([ruff, "check", "--no-cache", "--quiet", "."], project, check=False)
    form = run([ruff, "format", "--no-cache", "--check", "--quiet", "."], project, check=False)
    return "".join(
        completed.stdout + completed.stderr
        for completed in (lint, form)
        if completed.returncode != 0
    )
