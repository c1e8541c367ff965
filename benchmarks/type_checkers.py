"""Type checkers for the generated project: their speed, and what they catch of the corpus.

Usage: uv run python benchmarks/type_checkers.py [--repeat N] [--project-type TYPE]

Installs the candidates from the package index into a scratch virtual environment (mypy as
the generated project pins it, zuban, pyright, basedpyright, ty, pyrefly), generates a project
with `copier copy --defaults` and syncs it, then for each checker measures a first (cold) run
on the project and a second one, and runs it over tests/type_errors/ (the corpus of errors a
strict check must catch: tests/test_type_check_catches_errors.py). mypy is measured cold, with
its cache warm, with the cache another project warmed (the generated `cache_dir`), and as a
daemon. docs/decisions/0008-type-checker.md records the figures and the choice.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Sample, measure, sh

from tests.helpers.processes import COPIER, tool_env
from tests.helpers.template_repo import plain_template_copy

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "type_errors"
CANDIDATES = ("zuban", "pyright", "basedpyright", "ty", "pyrefly")
# path:line (any column and severity words after it), as each checker prints its findings.
FINDING = {
    "mypy": re.compile(r"^(?:.*/)?(?P<file>[\w]+\.py):(?P<line>\d+): error:", re.M),
    "pyright": re.compile(r"^\s*(?:.*/)?(?P<file>[\w]+\.py):(?P<line>\d+):\d+ - error", re.M),
    "ty": re.compile(r"^(?:.*/)?(?P<file>[\w]+\.py):(?P<line>\d+):\d+: error", re.M),
    "pyrefly": re.compile(r"^ERROR (?:.*/)?(?P<file>[\w]+\.py):(?P<line>\d+):", re.M),
}


@dataclass(frozen=True)
class Checker:
    name: str
    command: Callable[[Path, Path, Path], list[str | Path]]  # (tools, target, python)
    findings: str  # its key in FINDING
    settings: str  # how strict it was asked to be


PYRIGHT_STRICT = {"typeCheckingMode": "strict"}


def here(target: Path) -> list[str]:
    """The files to check: the corpus folder itself, or the project's own `files`."""
    return ["."] if target.name == "corpus" else []


CHECKERS = (
    Checker(
        "mypy",
        lambda _tools, target, python: [python.parent / "mypy", *here(target)],
        "mypy",
        "the project's [tool.mypy]: strict, warn_unreachable",
    ),
    Checker(
        "zuban (zmypy)",
        lambda tools, target, _python: [tools / "zmypy", *here(target)],
        "mypy",
        "the project's [tool.mypy], read by zuban's mypy mode",
    ),
    Checker(
        "pyright",
        lambda tools, target, _python: [
            tools / "pyright",
            "--project",
            target / "pyrightconfig.json",
        ],
        "pyright",
        "strict",
    ),
    Checker(
        "basedpyright",
        lambda tools, target, _python: [
            tools / "basedpyright",
            "--project",
            target / "basedpyright.json",
        ],
        "pyright",
        "all (its strictest)",
    ),
    Checker(
        "ty",
        lambda tools, _target, python: [
            *(tools / "ty", "check", "--python", python, "--error", "all"),
            *("--output-format", "concise"),
        ],
        "ty",
        "every rule an error",
    ),
    Checker(
        "pyrefly",
        lambda tools, _target, python: [
            *(tools / "pyrefly", "check", "--python-interpreter-path", python),
            *("--preset", "strict", "--output-format", "min-text"),
        ],
        "pyrefly",
        "preset strict",
    ),
)


def write_configs(target: Path, python: Path, include: list[str]) -> None:
    """pyright's and basedpyright's settings for a folder (the others read pyproject.toml)."""
    common = {"include": include, "pythonPath": str(python)}
    (target / "pyrightconfig.json").write_text(json.dumps({**common, **PYRIGHT_STRICT}))
    (target / "basedpyright.json").write_text(json.dumps({**common, "typeCheckingMode": "all"}))


def corpus_expected() -> dict[str, int]:
    expected = {}
    for path in CORPUS.glob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "# error:" in line:
                expected[path.name] = number
    return expected


def corpus_result(checker: Checker, output: str) -> tuple[list[str], list[str]]:
    """The snippets it missed, and the files it reported a line of that is not marked."""
    found: dict[str, set[int]] = {}
    for match in FINDING[checker.findings].finditer(output):
        found.setdefault(match["file"], set()).add(int(match["line"]))
    expected = corpus_expected()
    missed = sorted(name for name, line in expected.items() if line not in found.get(name, set()))
    extra = sorted(
        name
        for name, lines in found.items()
        if lines - ({expected[name]} if name in expected else set())
    )
    return missed, extra


def run_quietly(command: list[str | Path], cwd: Path, env: Mapping[str, str]) -> str:
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout + completed.stderr


def timed(command: list[str | Path], cwd: Path, env: Mapping[str, str]) -> Sample:
    """Like bench.measure, whatever the checker's verdict (errors found exit non-zero)."""
    return measure(["sh", "-c", '"$@" >/dev/null 2>&1; true', "sh", *map(str, command)], cwd, env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project-type", default="api")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="starter-type-checkers-"))
    try:
        tools = scratch / "tools"
        sh(["uv", "venv", "--quiet", "--python", "3.11", tools], scratch)
        sh(
            ["uv", "pip", "install", "--quiet", "--python", tools / "bin/python", *CANDIDATES],
            scratch,
        )
        versions = {
            name: run_quietly([tools / "bin" / name, "--version"], scratch, tool_env())
            .strip()
            .splitlines()[-1]
            for name in ("zuban", "pyright", "basedpyright", "ty", "pyrefly")
        }
        template = plain_template_copy(scratch / "template")
        projects = []
        for name in ("one", "two"):
            project = scratch / name
            sh(
                [
                    COPIER,
                    "copy",
                    "--defaults",
                    "--quiet",
                    "--data",
                    f"project_type={args.project_type}",
                    "--data",
                    f"project_name=Project {name}",
                    template,
                    project,
                ],
                scratch,
            )
            sh(["uv", "sync", "--quiet"], project)
            write_configs(project, project / ".venv/bin/python", ["src", "tests"])
            projects.append(project)
        one, two = projects
        versions["mypy"] = run_quietly(
            [one / ".venv/bin/mypy", "--version"], one, tool_env()
        ).strip()
        corpus = scratch / "corpus"
        shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.md"))
        shutil.copy(one / "pyproject.toml", corpus / "pyproject.toml")
        write_configs(corpus, one / ".venv/bin/python", ["."])
        python = one / ".venv/bin/python"
        env = tool_env(VIRTUAL_ENV=str(one / ".venv"), MYPY_CACHE_DIR=str(scratch / "corpus-cache"))

        rows: list[tuple[str, str, list[Sample], list[Sample], str]] = []
        for checker in CHECKERS:
            cold: list[Sample] = []
            warm: list[Sample] = []
            for _ in range(args.repeat):
                own_cache = tool_env(
                    VIRTUAL_ENV=str(one / ".venv"), MYPY_CACHE_DIR=str(scratch / "cache")
                )
                shutil.rmtree(scratch / "cache", ignore_errors=True)
                for leftover in (".mypy_cache", ".ruff_cache"):
                    shutil.rmtree(one / leftover, ignore_errors=True)
                cold.append(timed(checker.command(tools / "bin", one, python), one, own_cache))
                warm.append(timed(checker.command(tools / "bin", one, python), one, own_cache))
            output = run_quietly(checker.command(tools / "bin", corpus, python), corpus, env)
            missed, extra = corpus_result(checker, output)
            verdict = f"{len(corpus_expected()) - len(missed)}/{len(corpus_expected())}"
            if missed:
                verdict += f" (missed: {', '.join(name.removesuffix('.py') for name in missed)})"
            if extra:
                verdict += f" (errors elsewhere in: {', '.join(extra)})"
            rows.append((checker.name, checker.settings, cold, warm, verdict))
            print(f"  {checker.name} done", file=sys.stderr, flush=True)

        # mypy with the shared cache: project two's first run, after project one's warmed it.
        shared: list[Sample] = []
        daemon_cold: list[Sample] = []
        daemon_warm: list[Sample] = []
        for _ in range(args.repeat):
            cache = tool_env(MYPY_CACHE_DIR=str(scratch / "shared"))
            shutil.rmtree(scratch / "shared", ignore_errors=True)
            sh([one / ".venv/bin/mypy"], one, cache)
            shared.append(measure([two / ".venv/bin/mypy"], two, cache))
            dmypy: list[str | Path] = [
                one / ".venv/bin/dmypy",
                "--status-file",
                scratch / "dmypy.json",
            ]
            daemon_env = tool_env(MYPY_CACHE_DIR=str(scratch / "daemon-cache"))
            shutil.rmtree(scratch / "daemon-cache", ignore_errors=True)
            daemon_cold.append(measure([*dmypy, "run", "--", "src", "tests"], one, daemon_env))
            daemon_warm.append(measure([*dmypy, "run", "--", "src", "tests"], one, daemon_env))
            sh([*dmypy, "stop"], one, daemon_env)

        def cell(samples: list[Sample]) -> str:
            wall = statistics.median(sample.wall for sample in samples)
            cpu = statistics.median(sample.cpu for sample in samples)
            return f"{wall:6.2f} s ({cpu:5.2f} CPU)"

        print(f"\n{args.repeat} runs each, median; a {args.project_type} project of the template")
        print(f"{'checker':16} {'first run':>22} {'second run':>22}  corpus caught   settings")
        for name, settings, cold, warm, verdict in rows:
            print(f"{name:16} {cell(cold):>22} {cell(warm):>22}  {verdict}   [{settings}]")
        print(f"{'mypy, shared cache (another project warmed it)':48} {cell(shared)}")
        print(f"{'mypy daemon (dmypy run), first':48} {cell(daemon_cold)}")
        print(f"{'mypy daemon (dmypy run), again':48} {cell(daemon_warm)}")
        print("versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
