"""Setup behind a restricted network: when the package index or the hook repositories cannot be
reached, scripts/bootstrap and scripts/check stop with a short message (what failed, why it
usually happens, what to do) and leave the repository in the state the message describes.

The unreachable places are real: a closed port on 127.0.0.1, which refuses at once.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from .helpers.processes import run, tool_env
from .helpers.variants import Variant, variant_params

FIRST_COMMIT = (
    'git add --all && git commit --no-verify -m "Initial commit from the starter template"'
)
MORE = 'More: README.md, "When setup cannot reach the network".'


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def unreachable_hooks(project: Path) -> None:
    """Point every hook repository of the project at a closed port."""
    path = project / ".pre-commit-config.yaml"
    config = yaml.safe_load(path.read_text())
    port = closed_port()
    for repository in config["repos"]:
        if repository["repo"] not in {"local", "meta"}:
            name = str(repository["repo"]).rstrip("/").rsplit("/", 1)[-1]
            repository["repo"] = f"http://127.0.0.1:{port}/{name}"
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(["git", *args], project, check=False)


def output_of(completed: subprocess.CompletedProcess[str]) -> str:
    return completed.stdout + completed.stderr


def failed_bootstrap(project: Path, env: dict[str, str], start: str, words: Sequence[str]) -> str:
    """Run scripts/bootstrap, which must stop with status 1 and an explanation from `start` on
    that holds each of `words`; the explanation."""
    completed = run(["scripts/bootstrap"], project, env=env, check=False)
    output = output_of(completed)
    assert completed.returncode == 1, output
    assert start in output, output
    explanation = output[output.index(start) :]
    for phrase in words:
        assert phrase in explanation, phrase
    return explanation


@pytest.fixture
def project(
    generated: Callable[[Variant], Path], tmp_path: Path, request: pytest.FixtureRequest
) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(generated(request.param), copy)
    return copy


@pytest.mark.slow
@pytest.mark.parametrize("project", variant_params("defaults", "generic"), indirect=True)
def test_bootstrap_without_the_hook_repositories_stops_before_the_first_commit(
    project: Path, tmp_path: Path
) -> None:
    unreachable_hooks(project)
    env = tool_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    explanation = failed_bootstrap(
        project,
        env,
        "An unexpected error has occurred",  # pre-commit's own words, kept
        (
            "The pre-commit hooks could not be fetched or installed",
            "git cannot reach the hook repositories in .pre-commit-config.yaml",
            "git config http.proxy",
            "company's mirror",
            MORE,
            "bootstrap stopped before the first commit",
            "Nothing is staged or committed",
            FIRST_COMMIT,
        ),
    )
    # The state the message describes: repository, environment and git hook; nothing staged.
    python = (project / "pyproject.toml").is_file()
    assert (project / ".venv").is_dir() == python
    assert ("Done: the git repository, the environment" in explanation) == python
    assert (project / ".git" / "hooks" / "pre-commit").is_file()
    assert git(project, "rev-parse", "--verify", "HEAD").returncode != 0
    assert git(project, "diff", "--cached", "--name-only").stdout == ""
    assert "- [x] Create repository" in (project / "implementation.md").read_text()

    # The plan's report command fails the same way, and changes nothing.
    before = git(project, "status", "--porcelain").stdout
    report = run(["scripts/check", "plan"], project, env=env, check=False)
    assert report.returncode == 3, output_of(report)
    assert "The pre-commit hooks could not be fetched or installed" in output_of(report)
    assert MORE in output_of(report)
    assert git(project, "status", "--porcelain").stdout == before

    # The command the message gives finishes the job by hand.
    run(["bash", "-c", FIRST_COMMIT], project, env=env)
    assert git(project, "rev-list", "--count", "HEAD").stdout.strip() == "1"
    assert git(project, "status", "--porcelain").stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("project", variant_params("defaults"), indirect=True)
def test_bootstrap_without_the_package_index_stops_at_uv_sync(project: Path) -> None:
    index = f"http://127.0.0.1:{closed_port()}/simple"
    env = tool_env(
        UV_DEFAULT_INDEX=index,
        UV_NO_CACHE="1",
        UV_PYTHON_DOWNLOADS="never",
        UV_HTTP_RETRIES="0",
    )
    failed_bootstrap(
        project,
        env,
        "uv sync failed",
        (
            "Python or the dependencies could not be installed",
            "the package index cannot be reached",
            "HTTPS_PROXY",
            "company's package mirror",
            MORE,
            "bootstrap stopped at uv sync. Done: the git repository.",
            "Run scripts/bootstrap again once uv sync works.",
        ),
    )
    assert git(project, "rev-parse", "--is-inside-work-tree").stdout.strip() == "true"
    assert not (project / ".git" / "hooks" / "pre-commit").exists()
    assert git(project, "rev-parse", "--verify", "HEAD").returncode != 0
    assert git(project, "diff", "--cached", "--name-only").stdout == ""

    check = run(["scripts/check"], project, env=env, check=False)
    assert check.returncode == 1
    assert "uv sync failed" in output_of(check)
    assert "==> uv run ruff" not in output_of(check), "check stops at the first failure"
