"""Running tools the way a user runs them, isolated from this repository's environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path

import pytest

# The CLIs installed in this repository's environment, beside the running interpreter.
BIN = Path(sys.executable).parent
COPIER = str(BIN / "copier")


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for tools run inside a generated project, isolated from this one."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "COVERAGE_PROCESS_START"}
    }
    env.update(
        UV_NO_PROGRESS="1",
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.com",
        GIT_COMMITTER_NAME="Test Author",
        GIT_COMMITTER_EMAIL="author@example.com",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    env.update(extra)
    return env


def run(
    command: Sequence[str | Path],
    cwd: Path,
    *,
    check: bool = True,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; on an unexpected exit status, fail with everything it printed."""
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else tool_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and completed.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited {completed.returncode} in {cwd}\n"
            f"--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}",
            pytrace=False,
        )
    return completed


def stop_group(process: subprocess.Popen[bytes], group_signal: signal.Signals) -> None:
    """Wait for `process` to end (killing it after 15 s), then send `group_signal` to what is
    left of its process group (the helpers a browser or a daemon started)."""
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, group_signal)
