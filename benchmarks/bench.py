"""Time what users feel: a copy, an update, and the generated project's first sync and checks.

Usage: uv run python benchmarks/bench.py [--repeat N] [--project-type TYPE]

Each measurement runs the real commands (the `copier` CLI, uv, the generated project's tools)
in a temporary directory, N times, and prints the median and the fastest run. The uv cache is
shared with the machine, as for a developer who has synced a project before.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.processes import COPIER, tool_env
from tests.helpers.project_checks import CHECKS
from tests.helpers.template_repo import make_template_release


def sh(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, env=tool_env(), check=True, capture_output=True, text=True)


def run_checks(project: Path) -> None:
    for check in CHECKS.values():
        sh(check, project)


def record(results: dict[str, list[float]], step: str, action: Callable[[], None]) -> None:
    start = time.perf_counter()
    action()
    results.setdefault(step, []).append(time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--project-type", default="api")
    args = parser.parse_args()

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        template = make_template_release(root / "template", "v1.0.0")
        (template / "template/CHANGELOG.md.jinja").write_text("# Changelog\n")
        sh(["git", "commit", "-qam", "v2"], template)
        sh(["git", "tag", "v2.0.0"], template)
        data = ["--data", f"project_type={args.project_type}"]
        for run_number in range(args.repeat):
            project = root / f"project-{run_number}"
            copy = [
                COPIER,
                "copy",
                "--defaults",
                "--quiet",
                "--vcs-ref",
                "v1.0.0",
                *data,
                str(template),
                str(project),
            ]
            record(results, "copier copy", partial(sh, copy, root))
            sh(["git", "init", "-q", "-b", "main"], project)
            sh(["git", "add", "-A"], project)
            sh(["git", "commit", "-qm", "init"], project)
            update = [COPIER, "update", "--defaults", "--quiet", "--vcs-ref", "v2.0.0"]
            record(results, "copier update", partial(sh, update, project))
            record(results, "first uv sync", partial(sh, ["uv", "sync"], project))
            record(results, "checks (pytest, ruff, format, mypy)", partial(run_checks, project))

    print(f"{'step':40} {'median':>8} {'fastest':>8}   ({args.repeat} runs, {args.project_type})")
    for step, times in results.items():
        print(f"{step:40} {statistics.median(times):7.2f}s {min(times):7.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
