"""Running tools the way a user runs them, isolated from this repository's environment."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
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


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1 (for a server a test starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    command: Sequence[str | Path],
    cwd: Path,
    env: Mapping[str, str],
    ready: Callable[[], bool],
    *,
    what: str,
    timeout: float = 60,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server in a process group of its own, wait until `ready()` says it serves, and
    stop the whole group (SIGTERM) when the block ends, whatever happened in it.

    The test fails with the server's error output if it exits before it is ready, or with
    `what` if it is not ready within `timeout` seconds.
    """
    with subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as server:
        try:
            deadline = time.monotonic() + timeout
            while not ready():
                if server.poll() is not None:
                    errors = server.stderr.read().decode(errors="replace") if server.stderr else ""
                    pytest.fail(f"{what} exited {server.returncode} before it was ready:\n{errors}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{what} was not ready within {timeout:.0f} s")
                time.sleep(0.1)
            yield server
        finally:
            with suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
