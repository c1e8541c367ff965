"""The generic stack: a team in any language gets the plan, the Phase 1 layout, the commit
checks, CI and updates, and nothing that claims a Python tool.

Two generic variants are generated once per session (tests/helpers/variants.py), one of them
bootstrapped with its hooks (the `hooked` fixture). Every project type is also rendered once
with the generic stack, in-process (about half a second each), for the checks that only read
files: the project types differ only in text.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from starter_template.plan_check import EXIT_OK, MARKER, main, parse

from .helpers.copier_runs import read_answers, render_in_process
from .helpers.facts import CI_SERVICES, GENERATED_FILES, PROJECT_TYPES, PROJECT_TYPES_DATA
from .helpers.generated_files import (
    parse_structured_files,
    project_files,
    whitespace_fixer_complaints,
)
from .helpers.hook_mirrors import hook_statuses
from .helpers.hooked import HookedProject
from .helpers.processes import run
from .helpers.variants import GENERIC, Variant, variant_params
from .test_implementation_md import part_lines, tree_paths

# The CI service each project type is rendered with, in turn, so every service is seen.
CI_OF_TYPE = dict(zip(PROJECT_TYPES, [*CI_SERVICES] * len(PROJECT_TYPES), strict=False))
# A render takes about a second: the tests over every type are in the slow lane; the fast
# lane checks the same promises on the generic variants the session generates anyway.
TYPES = [
    pytest.param(kind, id=kind, marks=[pytest.mark.slow, pytest.mark.xdist_group("generic-types")])
    for kind in PROJECT_TYPES
]

# Files only a Python project has.
PYTHON_PROJECT_FILE = re.compile(
    r"(^|/)(pyproject\.toml|uv\.lock|ruff\.toml|\.python-version|py\.typed|[^/]+\.py)$"
)
# What no file of a generic project may say: a Python project's tools and files. (uv may
# appear, as one way to fetch pre-commit or copier; never as the project's manager.)
PYTHON_TOOLS = re.compile(
    r"\b(ruff|mypy|pytest|pyproject|uv_build|uv sync|uv run|uv\.lock|FastAPI|uvicorn|argparse"
    r"|requires-python|py\.typed|PEP 8)\b|\.python-version"
)
# ... and what its documents may not say either: they do not name a language it has not chosen.
DOCUMENTS = re.compile(r"^(README\.md|implementation\.md|CHANGELOG\.md|(docs|config|src|tests)/)")


def generic_answers(project_type: str) -> dict[str, str]:
    return {"stack": "generic", "project_type": project_type, "ci": CI_OF_TYPE[project_type]}


@pytest.fixture(scope="session")
def generic_projects(
    plain_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """Each project type rendered once with the generic stack (in-process, trust-free)."""

    @functools.cache
    def get(project_type: str) -> Path:
        destination = tmp_path_factory.mktemp(f"generic-{project_type}") / "project"
        return render_in_process(plain_template, destination, generic_answers(project_type))

    return get


def expected_generic_files(project_type: str) -> set[str]:
    conditions = Variant(project_type, generic_answers(project_type)).conditions
    return {entry.rendered("unused") for entry in GENERATED_FILES if entry.wanted_for(conditions)}


@pytest.mark.parametrize("project_type", TYPES)
def test_every_project_type_generates_the_generic_layout_without_python_files(
    project_type: str, generic_projects: Callable[[str], Path]
) -> None:
    project = generic_projects(project_type)
    files = project_files(project)
    assert files == expected_generic_files(project_type)
    assert not [name for name in files if PYTHON_PROJECT_FILE.search(name)]
    # The Phase 1 layout, each folder saying what goes in it.
    for folder in ("src", "tests", "config", "docs", "scripts"):
        assert any(name.startswith(f"{folder}/") for name in files), folder
    assert {"src/README.md", "tests/README.md", ".env.example", ".gitignore"} <= files
    assert {".editorconfig", "scripts/bootstrap", "scripts/check"} <= files
    # No folder is left empty either (git would not keep it).
    folders = {path for path in project.rglob("*") if path.is_dir()}
    assert all(any(folder.iterdir()) for folder in folders)
    assert "package_name" not in read_answers(project)
    assert read_answers(project)["stack"] == "generic"
    # What the whitespace and syntax hooks check holds for every type (one is run for real).
    assert whitespace_fixer_complaints(project) == []
    assert parse_structured_files(project)


def python_claims(project: Path, source: str) -> list[str]:
    """Every place a project names a Python tool, or (in its documents) Python. `source` is
    where the template was copied from (a temporary folder in tests): no claim."""
    claims = []
    for name in sorted(project_files(project)):
        text = (project / name).read_text(encoding="utf-8").replace(source, "")
        claims += [f"{name}: {match[0]}" for match in PYTHON_TOOLS.finditer(text)]
        if DOCUMENTS.match(name):
            claims += [f"{name}: {match[0]}" for match in re.finditer(r"\bPython\b", text)]
    return claims


@pytest.mark.parametrize("project_type", TYPES)
def test_generic_files_never_claim_a_python_tool(
    project_type: str, generic_projects: Callable[[str], Path], plain_template: Path
) -> None:
    assert python_claims(generic_projects(project_type), str(plain_template)) == []


@pytest.mark.parametrize("variant", variant_params(*GENERIC))
def test_generic_variants_have_no_python_file_and_claim_no_python_tool(
    variant: Variant, generated: Callable[[Variant], Path], template_release: Path
) -> None:
    project = generated(variant)
    assert not [name for name in project_files(project) if PYTHON_PROJECT_FILE.search(name)]
    assert python_claims(project, str(template_release)) == []


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_the_claims_check_finds_a_python_tool(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """The check above can fail: a Python project's README and plan name its tools."""
    project = generated(variant)
    readme = (project / "README.md").read_text()
    plan = (project / "implementation.md").read_text()
    assert python_claims(project, "")
    assert PYTHON_TOOLS.search(readme)
    assert {match[0] for match in PYTHON_TOOLS.finditer(plan)} >= {"ruff", "mypy", "pytest"}


@pytest.mark.parametrize("project_type", TYPES)
def test_generic_plan_says_what_is_known_and_leaves_the_language_open(
    project_type: str, generic_projects: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = generic_projects(project_type)
    path = project / "implementation.md"
    text = path.read_text(encoding="utf-8")
    assert main([str(path)]) == EXIT_OK
    assert capsys.readouterr().out.startswith(f"{path}: structure complete")
    assert parse(text).problems == []
    stack = part_lines(text, "### 3.2 Technology Stack")

    def value(label: str, part: str) -> str:
        return next(line for line in part_lines("\n".join(stack), part) if line.startswith(label))

    for label in ("- Language:", "- Framework:"):
        assert value(label, "#### Backend").startswith(f"{label} {MARKER}")
    for label in (
        "- Package manager:",
        "- Build tool:",
        "- Test runner:",
        "- Linter & formatter:",
        "- Type checker:",
    ):
        assert value(label, "#### Tooling").startswith(f"{label} {MARKER}")
    # What the template did set up is recorded: the commit checks and the CI.
    checks = value("- Commit checks:", "#### Tooling")
    assert all(hook in checks for hook in ("shellcheck", "codespell", "gitleaks", "plan check"))
    ci = CI_SERVICES[CI_OF_TYPE[project_type]]
    cicd = value("- CI/CD:", "#### DevOps & Infrastructure")
    assert (ci["pipeline"] in cicd) if ci["pipeline"] else (MARKER in cicd)
    # The folder tree (3.3) is the real tree; no API endpoint the project does not have.
    assert tree_paths(text) == project_files(project)
    assert "#### Endpoint: GET /health" not in text
    assert "#### Endpoint: POST /api/x" in text


@pytest.mark.parametrize("project_type", TYPES)
def test_generic_readme_says_what_the_project_is_and_that_it_has_no_code_yet(
    project_type: str, generic_projects: Callable[[str], Path]
) -> None:
    readme = (generic_projects(project_type) / "README.md").read_text()
    summary = PROJECT_TYPES_DATA[project_type]["summary"]
    assert readme.splitlines()[2].startswith(f"{summary[0].upper()}{summary[1:]}, in a language")
    assert "no code yet" in readme
    assert "scripts/check" in readme
    assert "scripts/bootstrap   # git init, pre-commit install, first commit" in readme


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("generic"))
def test_scripts_check_passes_in_the_bootstrapped_project(
    variant: Variant, hooked: Callable[[Variant], HookedProject]
) -> None:
    """scripts/check runs every commit check on every file, through the pre-commit that
    bootstrap installed as a uv tool (no pre-commit on PATH)."""
    project = hooked(variant)
    assert project.first_commit.returncode == 0, project.first_commit.stdout
    assert "uv tool install pre-commit" in project.first_commit.stdout
    checked = run(["scripts/check"], project.path, env=project.env)
    assert "uv tool run pre-commit run --all-files" in checked.stdout
    assert checked.stdout.rstrip().endswith("==> all checks passed")
    statuses = hook_statuses(checked.stdout)
    assert statuses.get("implementation-plan") == "Passed", checked.stdout


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("generic"))
def test_scripts_check_runs_the_build_and_tests_the_team_adds(
    variant: Variant, hooked: Callable[[Variant], HookedProject]
) -> None:
    """The team adds its tests to scripts/check (CI runs that script): a failing one fails it."""
    with hooked(variant).scratch() as project:
        test = project.path / "tests" / "ledger_test.sh"
        test.write_text('#!/usr/bin/env bash\nset -euo pipefail\n[ "$((2 + 2))" = 4 ]\n')
        test.chmod(0o755)
        check = project.path / "scripts" / "check"
        text = check.read_text()
        assert text.count('\necho "==> all checks passed"\n') == 1
        check.write_text(
            text.replace(
                '\necho "==> all checks passed"\n',
                '\nrun tests/ledger_test.sh\necho "==> all checks passed"\n',
            )
        )
        project.git("add", "--all")
        passed = run(["scripts/check"], project.path, env=project.env)
        assert "==> tests/ledger_test.sh" in passed.stdout
        test.write_text(test.read_text().replace("= 4", "= 5"))
        project.git("add", "--all")
        failed = run(["scripts/check"], project.path, env=project.env, check=False)
        assert failed.returncode != 0
        assert "all checks passed" not in failed.stdout


@pytest.mark.parametrize("variant", variant_params("generic"))
@pytest.mark.parametrize("script", ["bootstrap", "check"])
def test_scripts_say_what_to_install_when_pre_commit_cannot_be_found(
    variant: Variant, script: str, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """Without pre-commit, uv and pipx on PATH, each script stops at once and names them."""
    project = tmp_path / "project"
    shutil.copytree(generated(variant), project)
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("bash", "git", "dirname", "sed", "grep", "mv"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    completed = run(
        [tools / "bash", f"scripts/{script}"], project, env={"PATH": str(tools)}, check=False
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "pipx install pre-commit" in completed.stderr
    assert "uv" in completed.stderr
    assert not (project / ".git").exists()
