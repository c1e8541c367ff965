"""The scheduled pipelines of docs/examples that publish the fleet report are valid, secure by
the linters' standards, run options the command has, and hand git the token as intended."""

from __future__ import annotations

import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from starter_template.fleet.cli import build_parser

from .helpers.processes import run, tool_env
from .helpers.template_repo import TEMPLATE_ROOT

VENV_BIN = Path(sys.executable).parent
EXAMPLES = TEMPLATE_ROOT / "docs" / "examples"
WORKFLOW = EXAMPLES / "fleet-report.github-workflow.yml"
GITLAB = EXAMPLES / "fleet-report.gitlab-ci.yml"
DOCS = TEMPLATE_ROOT / "docs" / "fleet.md"


def _lint_env() -> dict[str, str]:
    env = tool_env()
    env["PATH"] = f"{VENV_BIN}:{env['PATH']}"
    return env


def _zizmor(path: Path, *args: str) -> Any:
    return run(
        [VENV_BIN / "zizmor", "--offline", "--no-progress", "--color=never", *args, path],
        path.parent,
        env=_lint_env(),
        check=False,
    )


@pytest.mark.slow
def test_github_workflow_passes_actionlint_and_its_schema() -> None:
    linted = run(
        [VENV_BIN / "actionlint", "-shellcheck", VENV_BIN / "shellcheck", "-verbose", WORKFLOW],
        EXAMPLES,
        env=_lint_env(),
    )
    assert "Found total 0 errors" in linted.stderr, linted.stderr
    run(
        [VENV_BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", WORKFLOW],
        EXAMPLES,
        env=_lint_env(),
    )


@pytest.mark.parametrize("persona", ["regular", "pedantic", "auditor"])
def test_github_workflow_has_no_zizmor_finding(persona: str) -> None:
    audited = _zizmor(WORKFLOW, f"--persona={persona}")
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "No findings to report" in audited.stdout


def test_zizmor_catches_an_unpinned_action_and_kept_credentials(tmp_path: Path) -> None:
    """The audit above can fail: a tag instead of a hash, and a checkout keeping its token."""
    text = WORKFLOW.read_text()
    broken = re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v7", text)
    broken = broken.replace("          persist-credentials: false\n", "          fetch-depth: 1\n")
    assert broken.count("actions/checkout@v7") == 1
    assert "persist-credentials" not in broken
    path = tmp_path / "workflow.yml"
    path.write_text(broken)
    audited = _zizmor(path, "--persona=pedantic")
    assert audited.returncode != 0
    assert "unpinned-uses" in audited.stdout
    assert "artipacked" in audited.stdout


def test_github_actions_are_pinned_by_commit_with_their_version() -> None:
    uses = re.findall(r"uses: (\S+)(.*)", WORKFLOW.read_text())
    assert len(uses) == 4
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)


def test_every_job_asks_for_the_least_permissions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"] == {}
    permissions = {name: job["permissions"] for name, job in workflow["jobs"].items()}
    assert permissions == {
        "report": {"contents": "read"},
        "publish": {"pages": "write", "id-token": "write"},
        "behind": {},
    }
    (checkout,) = [
        step
        for step in workflow["jobs"]["report"]["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkout["with"]["persist-credentials"] is False


@pytest.mark.slow
def test_gitlab_pipeline_passes_its_schema() -> None:
    run(
        [VENV_BIN / "check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", GITLAB],
        EXAMPLES,
        env=_lint_env(),
    )


def _commands(text: str) -> list[str]:
    """Every `starter-fleet report ...` command line in a text, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        if "starter-fleet report" in line:
            command = line[line.index("starter-fleet report") :]
            found.append(command.split("||")[0].strip())
    return found


def _argv(command: str) -> list[str]:
    """A command's arguments as the shell would pass them (variables given sample values)."""
    expanded = re.sub(
        r"\$\{?([A-Z_]+)\}?",
        lambda name: "2" if name[1].endswith("MAX_BEHIND") else f"sample-{name[1]}",
        command,
    )
    return shlex.split(expanded)[1:]


def test_pipelines_and_docs_run_options_the_command_has() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (report_step,) = [step for step in workflow["jobs"]["report"]["steps"] if "run" in step]
    gitlab = yaml.safe_load(GITLAB.read_text())
    sources = {
        "workflow": report_step["run"],
        "gitlab": "\n".join(gitlab["fleet-report"]["script"]),
        "docs": "\n".join(re.findall(r"^```sh\n(.*?)^```", DOCS.read_text(), re.M | re.S)),
    }
    parser = build_parser()
    for name, text in sources.items():
        commands = _commands(text)
        assert commands, name
        for command in commands:
            if command.startswith("starter-fleet report REPO..."):
                continue  # the synopsis
            args = parser.parse_args(_argv(command))
            assert args.command == "report"
            if name != "docs":
                assert args.fail_behind is not None
                assert args.html
                assert args.json
                assert args.markdown
                assert args.template


def _helper_env(config: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in config.items() if key.startswith("GIT_CONFIG_")}


@pytest.mark.parametrize("pipeline", ["github", "gitlab"])
def test_the_credential_helper_gives_git_the_token_from_the_environment(pipeline: str) -> None:
    if pipeline == "github":
        workflow = yaml.safe_load(WORKFLOW.read_text())
        (step,) = [step for step in workflow["jobs"]["report"]["steps"] if "run" in step]
        config = dict(step["env"])
        token_variable, username = "FLEET_READ_TOKEN", "x-access-token"
    else:
        variables = yaml.safe_load(GITLAB.read_text())["fleet-report"]["variables"]
        # GitLab expands $VARIABLES in variables unless told not to: $1 must reach the shell.
        assert variables["GIT_CONFIG_VALUE_0"]["expand"] is False
        config = {**variables, "GIT_CONFIG_VALUE_0": variables["GIT_CONFIG_VALUE_0"]["value"]}
        token_variable, username = "CI_JOB_TOKEN", "gitlab-ci-token"
    token = secrets.token_hex(12)  # made up at run time, never stored
    env = tool_env(**_helper_env(config), **{token_variable: token}, GIT_TERMINAL_PROMPT="0")
    filled = subprocess.run(
        ["git", "credential", "fill"],
        input="protocol=https\nhost=git.example.com\npath=team/service.git\n\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=TEMPLATE_ROOT,
        timeout=30,
        check=False,
    )
    assert filled.returncode == 0, filled.stderr
    assert f"username={username}\npassword={token}\n" in filled.stdout
