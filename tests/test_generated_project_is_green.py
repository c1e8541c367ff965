"""The generated project passes every check on its first commit, for every type and option."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

import pytest

from .helpers.copier_runs import copier_copy
from .helpers.processes import run, tool_env
from .helpers.project_checks import CHECKS, E2E_TESTS
from .helpers.template_repo import TEST_RELEASE
from .helpers.variants import PYTHON, VARIANTS, Variant, variant_params

# One Python variant of each starting code that serves a port (api, web): their end-to-end
# tests start the server, and run the module as a program (tests/test_cli.py, which every
# program has). desktop and mobile_app start as cli and api do, with the same tests; a library
# has none; a jobs project's one (its job run from the console) is what
# tests/test_project_types_start_as_themselves.py runs for real from the command line.
PROGRAMS = tuple(
    {
        VARIANTS[name].app_kind: name
        for name in reversed(PYTHON)
        if VARIANTS[name].app_kind in {"api", "web"}
    }.values()
)
# The browser tests, which tests/test_project_types_start_as_themselves.py runs (as e2e tests)
# against a real browser, passing and failing.
BROWSER_TESTS = "tests/test_browser.py"


@pytest.mark.slow
@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("variant", variant_params(*PYTHON))
def test_generated_project_passes(
    variant: Variant, check: str, synced: Callable[[Variant], Path]
) -> None:
    project = synced(variant)
    run(CHECKS[check], project)


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(*PROGRAMS))
def test_end_to_end_tests_pass_in_their_own_run(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    """The tests that start the program for real (marked e2e), which CI runs in a job of their
    own and scripts/check after pytest: the default `uv run pytest` (CHECKS) leaves them out."""
    project = synced(variant)
    addopts = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"
    ]["addopts"]
    assert addopts[-2:] == ["-m", "not e2e"]
    # The command run here is scripts/check's (which CI runs: tests/test_ci_files.py), with
    # only the test harness's own options added.
    (step,) = (
        line.split()[1:]
        for line in (project / "scripts/check").read_text().splitlines()
        if line.startswith("run uv run pytest -m e2e")
    )
    options = iter(E2E_TESTS)
    assert all(word in options for word in step), (step, E2E_TESTS)
    ignore = [f"--ignore={BROWSER_TESTS}"] if (project / BROWSER_TESTS).exists() else []
    completed = run([*E2E_TESTS, *ignore], project)
    summary = completed.stdout.strip().splitlines()[-1]
    assert re.search(r"\b[1-9]\d* passed", summary), completed.stdout
    assert "skipped" not in summary, completed.stdout
    assert re.search(r"\b[1-9]\d* deselected", summary), completed.stdout


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _documented_health(plan: str) -> tuple[str, dict[str, str]]:
    """Status and body that implementation.md 4.3 documents for `GET /health`."""
    lines = plan.splitlines()
    start = lines.index("#### Endpoint: GET /health")
    response = next(line for line in lines[start:] if line.startswith("- Response: "))
    match = re.match(r"^- Response: `(\d{3} [^`]+)`, JSON `(\{[^`]+\})`", response)
    assert match, response
    return match[1], json.loads(match[2])


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("api"))
def test_running_service_answers_health_as_the_plan_documents(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    """The generated service, started with its own command on 127.0.0.1, answers `GET /health`
    with the status and body implementation.md 4.3 documents, and 404 elsewhere."""
    project = synced(variant)
    status_line, documented = _documented_health((project / "implementation.md").read_text())
    scripts = tomllib.loads((project / "pyproject.toml").read_text())["project"]["scripts"]
    (command,) = scripts
    port = _free_port()
    with subprocess.Popen(
        ["uv", "run", "--frozen", command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=project,
        env=tool_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, body = _get(f"http://127.0.0.1:{port}/health")
                    break
                except OSError:
                    assert server.poll() is None, server.stderr.read() if server.stderr else ""
                    assert time.monotonic() < deadline, "the service did not start within 60 s"
                    time.sleep(0.2)
            missing_status, _ = _get(f"http://127.0.0.1:{port}/no-such-path")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert f"{status} {HTTPStatus(status).phrase}" == status_line
    answered = json.loads(body)
    assert set(answered) == set(documented)
    version = tomllib.loads((project / "pyproject.toml").read_text())["project"]["version"]
    for key, promise in documented.items():
        if promise == "<package version>":
            assert answered[key] == version
        elif promise.startswith("<"):
            choices = re.split(r", | or ", promise.strip("<>"))
            assert answered[key] in choices, (key, promise)
        else:
            assert answered[key] == promise, key
    assert missing_status == HTTPStatus.NOT_FOUND
