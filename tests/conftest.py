"""Session fixtures: each variant is generated (and synced) once, however many tests use it."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import copier
import pytest
from hypothesis import settings

from .helpers.company import SETTINGS as COMPANY_SETTINGS
from .helpers.company import make_company_release
from .helpers.facts import OPTIONS, SUPPORTED_PYTHONS
from .helpers.hook_mirrors import point_config_at_mirrors
from .helpers.hooked import HookedProject
from .helpers.processes import BIN, run, tool_env
from .helpers.pythons import make_findable
from .helpers.template_repo import TEST_RELEASE, make_template_release, plain_template_copy
from .helpers.variants import Variant

# Property tests: no deadline (each example may render a whole project). In CI (CI=true) the
# examples are derived from each test's name, so every run tries the same ones, and a failure
# prints the blob that replays it with @reproduce_failure.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure() -> None:
    """Every Python version a generated project may need is findable, or the run stops now.

    And Python writes bytecode, as on a developer's machine: where the environment says not to
    (PYTHONDONTWRITEBYTECODE, set in many CI images), every tool the tests run (copier,
    pre-commit and its hooks, a generated project's pytest) would compile its modules again on
    every run. The test workers and every process they start inherit this.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if problems := make_findable(SUPPORTED_PYTHONS):
        raise pytest.UsageError("\n".join(problems))


@pytest.fixture(scope="session", autouse=True)
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The generated projects share one mypy cache per test worker, as a developer's projects
    share theirs (`cache_dir` in their pyproject.toml), and never one another worker's: each
    worker runs one mypy at a time, so none reads what another is still writing.
    """
    os.environ["MYPY_CACHE_DIR"] = str(tmp_path_factory.mktemp("mypy-cache"))


@pytest.fixture(scope="session")
def template_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a committed, tagged release, as teams copy it from the git server.

    Generating from it (rather than from a working tree with uncommitted changes) pins the
    plan-check hook to a revision pre-commit can really fetch.
    """
    return make_template_release(tmp_path_factory.mktemp("release") / "template", TEST_RELEASE)


@pytest.fixture(scope="session")
def company_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a company's fork releases it, with copier/company.yml filled in
    (tests/helpers/company.py): mirrors, security contact, catalog entry, template reviewers."""
    destination = tmp_path_factory.mktemp("company") / "template"
    return make_company_release(destination, TEST_RELEASE, COMPANY_SETTINGS)


@pytest.fixture(scope="session")
def company_projects(
    company_release: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], Path]:
    """Projects copied from the company's fork, once per stack and CI, in-process and
    trust-free like the CLI (test_updates_keep_a_project_on_the_company_mirrors_... uses the
    CLI): a Python one with every option (container, docs site, dev container), so that all
    their files are checked for the company's locations; every other answer is the default
    (the company's, where it set one)."""
    cache: dict[tuple[str, str], Path] = {}

    def get(stack: str, ci: str) -> Path:
        if (stack, ci) not in cache:
            project = tmp_path_factory.mktemp(f"company-{stack}-{ci}") / "project"
            copier.run_copy(
                str(company_release),
                project,
                data={"stack": stack, "ci": ci}
                | (dict.fromkeys(OPTIONS, True) if stack == "python" else {}),
                defaults=True,
                unsafe=False,
                quiet=True,
                vcs_ref=TEST_RELEASE,
            )
            cache[stack, ci] = project
        return cache[stack, ci]

    return get


@pytest.fixture(scope="session")
def company_project(company_projects: Callable[[str, str], Path]) -> Path:
    """The company's default project: a Python library on GitHub."""
    return company_projects("python", "github")


@pytest.fixture(scope="session")
def generated(copie_session: Any, template_release: Path) -> Callable[[Variant], Path]:
    """Generate each variant once per session with pytest-copie, on first use."""
    cache: dict[str, Path] = {}

    def get(variant: Variant) -> Path:
        if variant.name not in cache:
            result = copie_session.copy(
                extra_answers=dict(variant.answers),
                template_dir=template_release,
                vcs_ref=TEST_RELEASE,
            )
            assert result.exit_code == 0, result.exception
            assert result.project_dir is not None
            cache[variant.name] = Path(result.project_dir)
        return cache[variant.name]

    return get


@pytest.fixture(scope="session")
def synced(generated: Callable[[Variant], Path]) -> Callable[[Variant], Path]:
    """A generated variant with its environment installed by `uv sync` (once per session)."""
    cache: dict[str, Path] = {}

    def get(variant: Variant) -> Path:
        if variant.name not in cache:
            # A copy, so the pristine generated tree stays as Copier wrote it for other tests.
            pristine = generated(variant)
            project = pristine.with_name(f"{pristine.name}-synced")
            shutil.copytree(pristine, project)
            run(["uv", "sync"], project)
            cache[variant.name] = project
        return cache[variant.name]

    return get


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this session share (the session's base temp folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# How the tests run pre-commit in a hooked project: from its uv environment (Python), or as
# the uv tool its bootstrap installed (generic).
PYTHON_PRE_COMMIT = ("uv", "run", "--frozen", "pre-commit")
GENERIC_PRE_COMMIT = ("uv", "tool", "run", "pre-commit")


@pytest.fixture(scope="session")
def hooked(
    generated: Callable[[Variant], Path], shared_dir: Path
) -> Callable[[Variant], HookedProject]:
    """Each variant bootstrapped for real with its hooks pointed at offline mirrors (once).

    One PRE_COMMIT_HOME serves the whole session, so each hook environment is installed once
    per Python version; pre-commit's own lock lets xdist workers share it.
    """
    cache: dict[str, HookedProject] = {}
    home = shared_dir / "pre-commit-home"
    env = tool_env(PRE_COMMIT_HOME=str(home))

    def get(variant: Variant) -> HookedProject:
        if variant.name not in cache:
            pristine = generated(variant)
            project = pristine.with_name(f"{pristine.name}-hooked")
            shutil.copytree(pristine, project)
            mirrors = point_config_at_mirrors(project, shared_dir / "hook-mirrors")
            project_env, pre_commit = env, PYTHON_PRE_COMMIT
            if not variant.python:
                # A team in another language: no pre-commit on PATH (this repository's
                # environment is left out), so bootstrap installs it as a uv tool, here into a
                # folder of the test's own rather than the user's tools.
                tools = pristine.with_name(f"{pristine.name}-uv-tools")
                project_env = {
                    **env,
                    "PATH": os.pathsep.join(
                        entry for entry in env["PATH"].split(os.pathsep) if Path(entry) != BIN
                    ),
                    "UV_TOOL_DIR": str(tools),
                    "UV_TOOL_BIN_DIR": str(tools / "bin"),
                }
                pre_commit = GENERIC_PRE_COMMIT
            # git init, (uv sync,) `pre-commit install`, as a team's first step does.
            run(["scripts/bootstrap", "--no-commit"], project, env=project_env)
            version_file = project / ".python-version"
            python = version_file.read_text().strip() if version_file.exists() else "*"
            installed = list(home.glob(f"repo*/py_env-python{python}"))
            # Run again, bootstrap makes the first commit: every file through the installed
            # hooks.
            started = time.monotonic()
            first_commit = run(["scripts/bootstrap"], project, env=project_env, check=False)
            seconds = time.monotonic() - started
            head = run(["git", "rev-parse", "HEAD"], project, env=project_env, check=False)
            cache[variant.name] = HookedProject(
                project,
                project_env,
                first_commit,
                seconds,
                len(installed) < len(mirrors),
                head.stdout.strip(),
                pre_commit,
            )
        return cache[variant.name]

    return get


# Fixtures that generate whole projects (or a template release to generate them from): a test
# that uses one takes seconds, so it is in the slow lane whether or not it is marked.
GENERATING_FIXTURES = {
    "template_release",
    "company_release",
    "generated",
    "synced",
    "hooked",
    "company_projects",
    "copie",
    "copie_session",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GENERATING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How long bootstrap's run that makes the first commit (every file through every hook)
    took, with and without hook environments ready.

    The tests that time it leave ("first-commit", (variant, seconds, cold)) in their report.
    """
    runs = [
        dict(report.user_properties)["first-commit"]
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call" and "first-commit" in dict(report.user_properties)
    ]
    if not runs:
        return
    terminalreporter.write_sep("-", "scripts/bootstrap, first commit through every hook: timings")
    for variant, seconds, cold in sorted(runs, key=lambda run: (not run[2], run[1])):
        state = "installing hook environments (cold)" if cold else "environments cached"
        terminalreporter.write_line(f"{variant:<12} {seconds:6.1f} s  {state}")


@pytest.fixture(scope="session")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a plain folder, which copier renders without cloning it."""
    return plain_template_copy(tmp_path_factory.mktemp("template"))
