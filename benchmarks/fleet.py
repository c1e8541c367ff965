"""Time `starter-fleet report` on a large fleet: local folders, and git URLs over git daemon.

Usage: uv run python benchmarks/fleet.py [--local 500] [--urls 50] [--repeat 3] [--jobs N ...]

It makes template releases v1.0.0, v1.1.0 and v2.0.0 from this working tree, generates four
projects with the `copier` CLI (one per release and type), then clones them into the fleet,
each clone with its own commit (a different number of checklist items ticked), so no two
repositories are the same. Then it runs the real command (a subprocess, as a scheduled job
runs it) on the local folders and on git:// URLs served by `git daemon` on 127.0.0.1, N times
each, and prints the median and fastest wall time and the cost per repository.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starter_template.fleet.survey import default_jobs
from tests.helpers.copier_runs import copier_copy
from tests.helpers.git_daemon import git_daemon
from tests.helpers.processes import BIN, tool_env
from tests.helpers.template_repo import make_template_release
from tests.helpers.update_story import append, commit_all

FLEET = BIN / "starter-fleet"
SEEDS = (
    ("v1.0.0", {"project_name": "Ledger", "project_type": "library", "ci": "github"}),
    ("v1.1.0", {"project_name": "Payments API", "project_type": "api", "ci": "gitlab"}),
    ("v2.0.0", {"project_name": "Deploy Tool", "project_type": "cli", "ci": "github"}),
    ("v2.0.0", {"project_name": "Widgets", "project_type": "framework", "ci": "gitlab"}),
)


def sh(command: list[str | Path], cwd: Path, **env: str) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=tool_env(**env),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def make_template(root: Path) -> Path:
    template = make_template_release(root / "template", "v1.0.0")
    for tag, line in (("v1.1.0", "*.swp"), ("v2.0.0", "htmlcov/")):
        append(template / "template/.gitignore.jinja", f"\n{line}\n")
        commit_all(template, f"Release {tag}")
        sh(["git", "tag", tag], template)
    return template


def make_seeds(root: Path, template: Path) -> list[Path]:
    seeds = []
    for number, (release, answers) in enumerate(SEEDS):
        project = root / "seeds" / f"seed-{number}"
        project.parent.mkdir(exist_ok=True)
        copier_copy(project, answers, "--quiet", src=template, vcs_ref=release)
        sh(["git", "init", "--quiet", "--initial-branch=main"], project)
        sh(["git", "add", "--all"], project)
        sh(["git", "commit", "--quiet", "--no-verify", "-m", "Generated"], project)
        seeds.append(project)
    return seeds


def make_fleet(root: Path, seeds: list[Path], size: int) -> list[Path]:
    """`size` clones of the seeds, each with a commit of its own."""
    fleet = root / "fleet"
    fleet.mkdir()
    repos = []
    for number in range(size):
        repo = fleet / f"repo-{number:04d}"
        sh(["git", "clone", "--quiet", seeds[number % len(seeds)], repo], fleet)
        plan = repo / "implementation.md"
        text = plan.read_text(encoding="utf-8")
        plan.write_text(text.replace("- [ ]", "- [x]", number % 9), encoding="utf-8")
        date = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}T10:00:00+00:00"
        sh(
            ["git", "commit", "--quiet", "--no-verify", "--allow-empty", "-am", "Team work"],
            repo,
            GIT_AUTHOR_DATE=date,
            GIT_COMMITTER_DATE=date,
        )
        repos.append(repo)
    return repos


def time_report(locations: list[str], work: Path, jobs: int, repeat: int) -> list[float]:
    listing = work / "repositories.txt"
    listing.write_text("\n".join(locations) + "\n", encoding="utf-8")
    out = work / "fleet.json"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        sh([FLEET, "report", "--repos-file", listing, "--jobs", str(jobs), "--json", out], work)
        times.append(time.perf_counter() - start)
        report = json.loads(out.read_text(encoding="utf-8"))
        broken = [entry for entry in report if entry["problems"] or entry["plan"] is None]
        if len(report) != len(locations) or broken:
            raise SystemExit(f"the report is wrong: {json.dumps(broken[:3], indent=2)}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", type=int, default=500, help="local repositories")
    parser.add_argument("--urls", type=int, default=50, help="repositories read over git://")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=[default_jobs()], help="thread counts to try"
    )
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as scratch:
        root = Path(scratch)
        started = time.perf_counter()
        template = make_template(root)
        seeds = make_seeds(root, template)
        repos = make_fleet(root, seeds, max(args.local, args.urls))
        print(f"made {len(repos)} repositories in {time.perf_counter() - started:.0f} s")
        for jobs in args.jobs:
            local = [str(repo) for repo in repos[: args.local]]
            rows.append(("local", len(local), jobs, time_report(local, root, jobs, args.repeat)))
        with git_daemon(root / "fleet", root / "daemon", count_packs=False) as daemon:
            for jobs in args.jobs:
                urls = [daemon.url(repo.name) for repo in repos[: args.urls]]
                rows.append(("git://", len(urls), jobs, time_report(urls, root, jobs, args.repeat)))

    cpus = os.cpu_count()
    print(f"\n{'repositories':<20} {'jobs':>4} {'median':>8} {'fastest':>8} {'per repo':>9}")
    for kind, count, jobs, times in rows:
        median = statistics.median(times)
        print(
            f"{count:>4} {kind:<15} {jobs:>4} {median:7.2f}s {min(times):7.2f}s "
            f"{1000 * median / count:7.1f}ms"
        )
    print(f"({args.repeat} runs each, {cpus} CPUs, wall time of the whole command)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
