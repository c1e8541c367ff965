"""A `git daemon` on 127.0.0.1 serving a folder of repositories, started and stopped by a test.

It allows partial clone (`uploadpack.allowFilter`), as git hosting services do, and counts
the bytes of every pack it sends through `uploadpack.packObjectsHook` (set on the daemon's
command line, where git honours it): a test can tell what a client really downloaded.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .processes import free_port, stop_group, tool_env

_COUNTER = """\
#!{python}
# uploadpack.packObjectsHook: run pack-objects, pass its pack on, log its size.
import os
import subprocess
import sys

process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
size = 0
while chunk := process.stdout.read(1 << 16):
    size += len(chunk)
    sys.stdout.buffer.write(chunk)
sys.stdout.buffer.flush()
status = process.wait()
with open(os.environ["PACK_LOG"], "a", encoding="utf-8") as log:
    log.write(f"{{os.getcwd()}}\\t{{size}}\\n")
sys.exit(status)
"""


@dataclass
class GitDaemon:
    base: Path
    port: int
    pack_log: Path

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"

    def packs_sent(self, name: str) -> list[int]:
        """The size of every pack sent from repository `name`, in order."""
        if not self.pack_log.exists():
            return []
        target = (self.base / name).resolve()
        sizes = []
        for line in self.pack_log.read_text(encoding="utf-8").splitlines():
            where, size = line.rsplit("\t", 1)
            if Path(where).resolve() in {target, target / ".git"}:
                sizes.append(int(size))
        return sizes


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def git_daemon(base: Path, work: Path, *, count_packs: bool = True) -> Iterator[GitDaemon]:
    """Serve every repository under `base` at git://127.0.0.1:PORT/NAME until the block ends.

    `count_packs=False` leaves out the pack counter (a Python process per pack), for timing.
    On the way out it checks that the daemon and every process it started are gone and that
    the port is closed.
    """
    work.mkdir(parents=True, exist_ok=True)
    counter = work / "count-pack-bytes"
    counter.write_text(_COUNTER.format(python=sys.executable), encoding="utf-8")
    counter.chmod(0o755)
    daemon = GitDaemon(base, free_port(), work / "packs.log")
    settings = {"uploadpack.allowFilter": "true"}
    if count_packs:
        settings["uploadpack.packObjectsHook"] = str(counter)
    env = tool_env(PACK_LOG=str(daemon.pack_log), GIT_CONFIG_COUNT=str(len(settings)))
    for index, (key, value) in enumerate(settings.items()):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    log_file = (work / "daemon.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--informative-errors",
            "--listen=127.0.0.1",
            f"--port={daemon.port}",
            f"--base-path={base}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while not _accepts(daemon.port):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (work / "daemon.log").read_text()
                raise RuntimeError(f"git daemon did not start on {daemon.port}:\n{log}")
            time.sleep(0.05)
        yield daemon
    finally:
        process.terminate()
        # The daemon's per-connection children share its process group.
        stop_group(process, signal.SIGTERM)
        log_file.close()
    _assert_gone(process.pid, daemon.port)


def _assert_gone(group: int, port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"processes of git daemon's group {group} are still running")
        time.sleep(0.05)
    if _accepts(port):
        raise AssertionError(f"port {port} still accepts connections after git daemon stopped")
