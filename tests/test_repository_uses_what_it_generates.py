"""Dogfooding: this repository is held to the rules it hands to every generated project."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.hook_mirrors import hook_statuses, point_config_at_mirrors
from .helpers.processes import run, tool_env
from .helpers.template_repo import TEMPLATE_ROOT, make_template_release
from .helpers.variants import VARIANTS, Variant

PLAN_HOOK = "implementation-plan"


def official_hooks(config_path: Path) -> dict[str, tuple[str, list[str]]]:
    """repo URL -> (rev, hook ids) for every repository but the template's own plan check."""
    config: dict[str, Any] = yaml.safe_load(config_path.read_text())
    return {
        repo["repo"]: (repo["rev"], [hook["id"] for hook in repo["hooks"]])
        for repo in config["repos"]
        if all(hook["id"] != PLAN_HOOK for hook in repo["hooks"])
    }


def test_repository_runs_the_hooks_generated_projects_get_at_the_same_revisions(
    generated: Callable[[Variant], Path],
) -> None:
    project = generated(VARIANTS["defaults"])
    ours = official_hooks(TEMPLATE_ROOT / ".pre-commit-config.yaml")
    assert ours == official_hooks(project / ".pre-commit-config.yaml")


def test_repository_shares_the_lint_editor_and_secret_rules_files() -> None:
    for name in (".gitleaks.toml", ".editorconfig"):
        shared = TEMPLATE_ROOT / name
        assert shared.is_symlink(), f"{name} should be the template's file, not a copy"
        assert shared.resolve() == (TEMPLATE_ROOT / "template" / name).resolve()
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["ruff"]["extend"] == "template/ruff.toml"
    assert pyproject["tool"]["mypy"]["strict"] is True


@pytest.mark.slow
@pytest.mark.xdist_group("dogfood")
def test_repository_passes_its_own_hooks(tmp_path: Path, shared_dir: Path) -> None:
    """Every hook of this repository runs for real (offline mirrors) on its whole tree."""
    repository = make_template_release(tmp_path / "repository", "v0.0.0")
    point_config_at_mirrors(repository, shared_dir / "hook-mirrors")
    env = tool_env(PRE_COMMIT_HOME=str(shared_dir / "pre-commit-home"))
    run(["git", "add", ".pre-commit-config.yaml"], repository, env=env)
    completed = run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        repository,
        env=env,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    statuses = hook_statuses(output)
    expected = [
        hook
        for _rev, hooks in official_hooks(repository / ".pre-commit-config.yaml").values()
        for hook in hooks
    ]
    assert set(expected) <= set(statuses), statuses
    assert all(statuses[hook] in {"Passed", "Skipped"} for hook in expected), statuses
    assert statuses["gitleaks"] == "Passed"
    assert statuses["ruff-check"] == "Passed"
