"""The generated project passes every check on its first commit, for every type and option."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers.copier_runs import copier_copy
from .helpers.processes import run
from .helpers.project_checks import CHECKS
from .helpers.template_repo import TEST_RELEASE
from .helpers.variants import PYTHON, Variant, variant_params


@pytest.mark.slow
@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("variant", variant_params(*PYTHON))
def test_generated_project_passes(
    variant: Variant, check: str, synced: Callable[[Variant], Path]
) -> None:
    project = synced(variant)
    run(CHECKS[check], project)


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("cli", "automation"))
def test_cli_command_answers_help_and_version(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    project = synced(variant)
    scripts = tomllib.loads((project / "pyproject.toml").read_text())["project"]["scripts"]
    (command,) = scripts
    assert "usage:" in run(["uv", "run", "--frozen", command, "--help"], project).stdout
    version = run(["uv", "run", "--frozen", command, "--version"], project).stdout
    assert version.strip() == f"{command} 0.1.0"


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_library_has_no_entry_point(variant: Variant, generated: Callable[[Variant], Path]) -> None:
    text = (generated(variant) / "pyproject.toml").read_text()
    assert "[project.scripts]" not in text


@pytest.mark.slow
@pytest.mark.parametrize(
    "project_type",
    [
        pytest.param(kind, marks=pytest.mark.xdist_group(f"cli-copy-{kind}"))
        for kind in ("library", "cli", "api")
    ],
)
def test_cli_copy_with_defaults_and_without_trust_is_green(
    project_type: str, tmp_path: Path, template_release: Path
) -> None:
    """Exactly what a user runs: `copier copy --defaults` (no --trust), then the five commands."""
    project = tmp_path / "project"
    copier_copy(project, {"project_type": project_type}, src=template_release, vcs_ref=TEST_RELEASE)
    run(["uv", "sync"], project)
    for command in CHECKS.values():
        run(command, project)
