"""What the tests share: the variants they generate, and runners for the tools they use."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
# The tag of the release of this working tree that the session's projects are generated from.
TEST_RELEASE = "v1.0.0"
COPIER = str(Path(sys.executable).with_name("copier"))

# The section-1 answer keys of the planning document, in the order it asks them.
SECTION_1_KEYS = (
    "project_name",
    "project_type",
    "problem_statement",
    "problem_audience",
    "problem_gap",
    "goals_primary",
    "goals_secondary",
    "non_goals",
    "user_personas",
    "user_technical_level",
    "platforms",
    "success_functional",
    "success_performance",
    "success_business",
)
PROJECT_TYPES = (
    "library",
    "framework",
    "cli",
    "api",
    "web_app",
    "desktop",
    "mobile_app",
    "automation",
)


@dataclass(frozen=True)
class Variant:
    """One answer set the suite generates once and checks in many ways."""

    name: str
    answers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def app_kind(self) -> str:
        project_type = self.answers.get("project_type", "library")
        if project_type in {"api", "web_app", "mobile_app"}:
            return "api"
        if project_type in {"cli", "desktop", "automation"}:
            return "cli"
        return "library"


# Every project type and every option value appears at least once.
VARIANTS = {
    variant.name: variant
    for variant in (
        Variant("defaults"),  # library, MIT, github, Python 3.11
        Variant(
            "framework",
            {
                "project_type": "framework",
                "license": "Apache-2.0",
                "ci": "gitlab",
                "python_min": "3.12",
            },
        ),
        Variant(
            "cli",
            {"project_type": "cli", "license": "BSD-3-Clause", "ci": "none", "python_min": "3.13"},
        ),
        Variant("api", {"project_type": "api", "license": "GPL-3.0-or-later", "ci": "github"}),
        Variant("web_app", {"project_type": "web_app", "license": "MPL-2.0", "ci": "gitlab"}),
        Variant(
            "desktop",
            {"project_type": "desktop", "license": "proprietary", "python_min": "3.12"},
        ),
        Variant("mobile_app", {"project_type": "mobile_app", "ci": "none", "python_min": "3.13"}),
        Variant(
            "automation",
            {
                "project_type": "automation",
                "license": "Apache-2.0",
                "project_name": "Nightly Ledger Sync",
                "package_name": "ledger_sync",
            },
        ),
    )
}


def variant_params(*names: str) -> list[Any]:
    """Parametrize over variants, grouping each one on a single xdist worker."""
    return [
        pytest.param(VARIANTS[name], id=name, marks=pytest.mark.xdist_group(name))
        for name in (names or tuple(VARIANTS))
    ]


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


def copier_copy(
    destination: Path,
    answers: Mapping[str, Any] | None = None,
    *extra_args: str,
    src: Path | str = TEMPLATE_ROOT,
    vcs_ref: str = "HEAD",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`copier copy --defaults` through the CLI, exactly as a user runs it (never --trust)."""
    data_args: list[str] = []
    for key, value in (answers or {}).items():
        rendered = value if isinstance(value, str) else yaml.safe_dump(value).strip()
        data_args += ["--data", f"{key}={rendered}"]
    return run(
        [
            COPIER,
            "copy",
            "--defaults",
            "--vcs-ref",
            vcs_ref,
            *data_args,
            *extra_args,
            src,
            destination,
        ],
        cwd=destination.parent,
        check=check,
    )


def read_answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def project_files(project: Path) -> set[str]:
    """Every file of a generated project, relative to it, outside tool folders."""
    skip = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and not skip.intersection(path.relative_to(project).parts)
    }


def template_files() -> list[str]:
    """The files of this template as they are in the working tree (tracked or new, not ignored)."""
    listed = run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], TEMPLATE_ROOT
    ).stdout
    return sorted({name for name in listed.split("\0") if name and (TEMPLATE_ROOT / name).exists()})


def make_template_release(destination: Path, tag: str) -> Path:
    """A git repository holding this working tree, committed and tagged `tag`.

    Copier copies and updates from it exactly as from the company's git server, and pre-commit
    can install this repository's hooks from it.
    """
    destination.mkdir(parents=True)
    plain_template_copy(destination)
    run(["git", "init", "--quiet", "--initial-branch=main"], destination)
    run(["git", "add", "--all"], destination)
    run(["git", "commit", "--quiet", "-m", f"Release {tag}"], destination)
    run(["git", "tag", tag], destination)
    return destination


def plain_template_copy(destination: Path) -> Path:
    """This working tree's files in a folder that is not a git repository.

    Copier renders such a folder in place instead of cloning it first, which makes the tests
    that generate hundreds of projects affordable.
    """
    for name in template_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE_ROOT / name, target)
    return destination


def render_in_process(src: Path, destination: Path, answers: Mapping[str, Any]) -> Path:
    """`copier copy --defaults --data ...` in this process, trust-free like the CLI.

    A refused answer raises ValueError("Validation error for question 'key': ...").
    """
    copier.run_copy(
        str(src),
        destination,
        data=dict(answers),
        defaults=True,
        unsafe=False,
        quiet=True,
        vcs_ref=None,
    )
    return destination


def refusal_of(src: Path, destination: Path, answers: Mapping[str, Any]) -> str | None:
    """Render, and return copier's message if it refuses an answer (None if it generates)."""
    try:
        render_in_process(src, destination, answers)
    except ValueError as error:
        return str(error)
    return None


@functools.cache
def jinja_macros(name: str) -> Any:
    """A Jinja file of this repository as a module, in an environment configured like copier's
    (sandboxed, with the filters of jinja2-ansible-filters that copier always loads)."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )
    return environment.get_template(name).module


STRUCTURED_SUFFIXES = {".toml": "toml", ".yml": "yaml", ".yaml": "yaml", ".json": "json"}


def parse_structured_files(project: Path) -> dict[str, Any]:
    """Every TOML, YAML and JSON file of a generated project, parsed; failing names the file."""
    parsed: dict[str, Any] = {}
    for name in sorted(project_files(project)):
        kind = STRUCTURED_SUFFIXES.get(Path(name).suffix)
        if kind is None:
            continue
        text = (project / name).read_text(encoding="utf-8")
        try:
            if kind == "toml":
                parsed[name] = tomllib.loads(text)
            elif kind == "yaml":
                parsed[name] = list(yaml.safe_load_all(text))
            else:
                parsed[name] = json.loads(text)
        except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as error:
            pytest.fail(f"{name} is not valid {kind}: {error}\n{text}", pytrace=False)
    return parsed


def whitespace_fixer_complaints(project: Path) -> list[str]:
    """What pre-commit's trailing-whitespace and end-of-file-fixer hooks would change.

    Both rewrite files on the first commit, so a generated file they would touch fails the
    first `pre-commit run --all-files`, and may lose what a person typed.
    """
    complaints = []
    for name in sorted(project_files(project)):
        data = (project / name).read_bytes()
        if not data:
            continue
        if not data.endswith(b"\n") or data.endswith(b"\n\n"):
            complaints.append(f"{name}: does not end with exactly one newline")
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.rstrip(b"\r") != line.rstrip(b"\r").rstrip():
                complaints.append(f"{name}:{number}: trailing whitespace {line[-20:]!r}")
    return complaints


# How implementation.md writes one answer line (answer_field in copier/macros.jinja): the
# tests' oracle for that macro. A line whose first non-blank character could open a Markdown
# block gets one backslash before it, so it reads as typed and adds no heading or task item.
_BLOCK_START = re.compile(r"^(\s*)([#>+*=_`~<|\\-])")
_ORDERED_LIST = re.compile(r"^(\s*[0-9]{1,9})([.)])")


def plan_bullet(line: str) -> str:
    """The text after `  * ` that implementation.md shows for one line of an answer."""
    return _ORDERED_LIST.sub(r"\1\\\2", _BLOCK_START.sub(r"\1\\\2", line.rstrip()))
