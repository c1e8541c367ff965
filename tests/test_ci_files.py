"""The generated CI and dependency-update files are valid, and agree with the project."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.copier_runs import copier_copy
from .helpers.facts import SUPPORTED_PYTHONS
from .helpers.hooked import HookedProject
from .helpers.linters import VENV_BIN
from .helpers.linters import check_schema as _check_schema
from .helpers.linters import lint_env as _lint_env
from .helpers.processes import run
from .helpers.template_repo import TEST_RELEASE
from .helpers.variants import GENERIC, PYTHON, VARIANTS, Variant, variant_params

GITHUB = [
    name for name, variant in VARIANTS.items() if variant.answers.get("ci", "github") == "github"
]
GITLAB = [name for name, variant in VARIANTS.items() if variant.answers.get("ci") == "gitlab"]
WORKFLOW = ".github/workflows/ci.yml"
DEPENDABOT = ".github/dependabot.yml"
GITLAB_CI = ".gitlab-ci.yml"
RENOVATE = "renovate.json"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _hook_pins(project: Path) -> dict[str, str]:
    """Remote hook repositories of the generated pre-commit config, with their revisions."""
    config = _yaml(project / ".pre-commit-config.yaml")
    return {
        repo["repo"]: repo["rev"]
        for repo in config["repos"]
        if "://" in repo["repo"] or repo["repo"].startswith("git@")
    }


def _ruff_pin(project: Path) -> str | None:
    """The ruff pin of a Python project's pyproject.toml (None: a generic project has none)."""
    if not (project / "pyproject.toml").exists():
        return None
    dev = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    (pin,) = (requirement for requirement in dev if requirement.startswith("ruff=="))
    return str(pin)


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_github_workflow_passes_actionlint(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    workflows = sorted((project / ".github/workflows").glob("*.yml"))
    expected = {
        "ci.yml": True,
        "container.yml": variant.option("container"),
        "docs.yml": variant.option("docs_site"),
        "jobs.yml": variant.python and variant.app_kind == "jobs",
        "release.yml": variant.python,
        "template-update.yml": True,
    }
    assert sorted(path.name for path in workflows) == sorted(
        name for name, on in expected.items() if on
    )
    for workflow in workflows:
        # -shellcheck: the bundled shellcheck checks every `run:` script too.
        linted = run(
            [VENV_BIN / "actionlint", "-shellcheck", VENV_BIN / "shellcheck", "-verbose", workflow],
            project,
            env=_lint_env(),
        )
        assert "Found total 0 errors" in linted.stderr, linted.stderr
    _check_schema("vendor.github-workflows", *workflows)


def plant_in_every_job(workflow: str) -> tuple[str, dict[str, int]]:
    """The workflow with a first step planted in each job: an expression naming a step that
    does not exist and an unquoted variable. Returns it and each job's planted line number."""
    lines = workflow.splitlines()
    planted: dict[str, int] = {}
    job = None
    for line in lines:
        if match := re.match(r"^  ([A-Za-z_][\w-]*):$", line):
            job = match[1]
        elif line == "    steps:" and job is not None:
            planted[job] = 0
    assert planted, "no job with steps"
    out: list[str] = []
    job = None
    for line in lines:
        out.append(line)
        if match := re.match(r"^  ([A-Za-z_][\w-]*):$", line):
            job = match[1]
        elif line == "    steps:" and job is not None:
            name = job.replace("-", "_")
            out.append(
                f"      - run: echo ${{{{ steps.planted_{name}.outputs.x }}}} $PLANTED_{name}"
            )
            planted[job] = len(out)
    return "\n".join(out) + "\n", planted


@pytest.mark.parametrize("variant", variant_params(*GITHUB[:1]))
def test_actionlint_checks_every_job_of_every_workflow(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """The check above can fail anywhere: a defect planted in any job of either workflow (an
    expression naming no step, a shell word left unquoted) is reported at its line."""
    project = generated(variant)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for workflow in sorted((project / ".github/workflows").glob("*.yml")):
        name = f".github/workflows/{workflow.name}"
        broken, planted = plant_in_every_job(workflow.read_text())
        jobs = yaml.safe_load(workflow.read_text())["jobs"]
        assert set(planted) == set(jobs), name
        (tmp_path / name).write_text(broken)
        linted = run(
            [VENV_BIN / "actionlint", "-shellcheck", VENV_BIN / "shellcheck", name],
            tmp_path,
            env=_lint_env(),
            check=False,
        )
        assert linted.returncode == 1, linted.stdout
        for job, number in planted.items():
            at_line = [line for line in linted.stdout.splitlines() if f"{name}:{number}:" in line]
            assert any(f"planted_{job.replace('-', '_')}" in line for line in at_line), (
                job,
                at_line,
            )
            assert any("SC2086" in line for line in at_line), (job, at_line)


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_dependabot_config_passes_its_schema(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    _check_schema("vendor.dependabot", generated(variant) / DEPENDABOT)


@pytest.mark.parametrize("variant", variant_params(*GITLAB))
def test_gitlab_ci_and_renovate_pass_their_schemas(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    # The files it includes (the scheduled template check, releases, the docs site and the
    # container image, as the options give) are pipeline files too, each included.
    included = [entry["local"] for entry in _yaml(project / GITLAB_CI)["include"]]
    assert sorted(included) == sorted(
        f".gitlab/{path.name}" for path in (project / ".gitlab").glob("*.yml")
    )
    assert (".gitlab/docs.yml" in included) == variant.option("docs_site")
    assert (".gitlab/container.yml" in included) == variant.option("container")
    _check_schema("vendor.gitlab-ci", project / GITLAB_CI, *(project / path for path in included))
    _check_schema("vendor.renovate", project / RENOVATE)


@pytest.mark.slow
def test_schemas_reject_broken_files(tmp_path: Path) -> None:
    """The schema checks above can fail, offline, on each kind of file, and on a format (an
    environment's URL must be a URI)."""
    broken = [
        ("vendor.gitlab-ci", "ci.yml", "test:\n  stage: test\n  scripts: [pytest]\n"),
        (
            "vendor.gitlab-ci",
            "deploy.yml",
            "deploy:\n  script: [./deploy]\n  environment:\n    name: prod\n    url: not a uri\n",
        ),
        (
            "vendor.dependabot",
            "dependabot.yml",
            "version: 2\nupdates:\n  - package-ecosystem: pip3\n    directory: /\n",
        ),
        ("vendor.renovate", "renovate.json", '{"packageRules": [{"enabled": "no"}]}\n'),
    ]
    outputs = {}
    for schema, name, text in broken:
        (tmp_path / name).write_text(text)
        checked = _check_schema(schema, tmp_path / name, check=False)
        outputs[name] = checked.stdout + checked.stderr
        assert checked.returncode == 1, (schema, outputs[name])
    assert "is not a 'uri'" in outputs["deploy.yml"]


def _formats(schema: object) -> set[str]:
    """Every `format` a JSON schema declares, however deep."""
    if isinstance(schema, dict):
        own = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return own.union(*(_formats(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_formats(value) for value in schema))
    return set()


# The bundled schemas the tests check files with, as they name them.
BUILTIN_SCHEMAS = sorted(
    {
        name
        for path in Path(__file__).parent.glob("test_*.py")
        for name in re.findall(r"\"(vendor\.[a-z0-9-]+)\"", path.read_text())
    }
)


def test_every_format_the_schemas_declare_is_checked() -> None:
    """check-jsonschema skips a format it has no checker for, silently: each format of each
    bundled schema the tests use has one in this environment (uri and date-time come from
    optional packages, kept as dev dependencies)."""
    from check_jsonschema.builtin_schemas import get_builtin_schema
    from check_jsonschema.formats import FormatOptions, make_format_checker
    from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName

    assert "vendor.gitlab-ci" in BUILTIN_SCHEMAS
    options = FormatOptions(regex_impl=RegexImplementation(RegexVariantName.default))
    for name in BUILTIN_SCHEMAS:
        schema = get_builtin_schema(name)
        checker = make_format_checker(options, schema.get("$schema"))
        assert checker is not None
        unchecked = _formats(schema) - set(checker.checkers)
        assert not unchecked, f"{name}: nothing checks {sorted(unchecked)}"


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_dependabot_updates_everything_but_what_the_template_manages(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    _dependabot_leaves_template_pins_alone(generated(variant))


def _dependabot_leaves_template_pins_alone(project: Path) -> None:
    updates = {
        update["package-ecosystem"]: update for update in _yaml(project / DEPENDABOT)["updates"]
    }
    # What the repository contains: a generic one has no uv project (so no uv updates); the
    # Dockerfile's base image when there is one.
    python = _ruff_pin(project) is not None
    docker = {"docker"} if (project / "Dockerfile").is_file() else set()
    assert set(updates) == {"pre-commit", "github-actions", *docker} | ({"uv"} if python else set())

    def ignored(ecosystem: str) -> set[str]:
        return {rule["dependency-name"] for rule in updates[ecosystem].get("ignore", [])}

    if python:
        assert ignored("uv") == {"ruff"}
    assert ignored("pre-commit") == set(_hook_pins(project))
    workflows = {
        f".github/workflows/{path.name}" for path in (project / ".github/workflows").iterdir()
    }
    assert set(updates["github-actions"]["exclude-paths"]) == workflows


@pytest.mark.parametrize("variant", variant_params(*GITLAB))
def test_renovate_updates_everything_but_what_the_template_manages(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    _renovate_leaves_template_pins_alone(generated(variant))


def _renovate_leaves_template_pins_alone(project: Path) -> None:
    config = json.loads((project / RENOVATE).read_text())
    # Renovate's pre-commit manager is off unless asked for.
    assert config["pre-commit"] == {"enabled": True}
    disabled = [rule for rule in config["packageRules"] if rule.get("enabled") is False]
    names = {name for rule in disabled for name in rule.get("matchDepNames", [])}
    files = {name for rule in disabled for name in rule.get("matchFileNames", [])}
    # Renovate names a hook repository by its path: https://host/owner/repo -> owner/repo.
    hooks = {url.split("://", 1)[-1].split("/", 1)[1] for url in _hook_pins(project)}
    python = _ruff_pin(project) is not None
    assert names == hooks | ({"ruff"} if python else set())
    # Python dependencies are grouped; a generic project has none.
    assert any(rule.get("matchManagers") == ["pep621"] for rule in config["packageRules"]) == python
    pipeline_files = {f".gitlab/{path.name}" for path in (project / ".gitlab").glob("*.yml")}
    assert files == {GITLAB_CI, *pipeline_files}
    # Fleets: Renovate's copier manager proposes each new template release.
    assert config["copier"] == {"enabled": True}
    # Nothing else is switched off: the team's own dependencies stay current.
    assert all(
        set(rule) <= {"description", "matchDepNames", "matchFileNames", "enabled"}
        for rule in disabled
    )


def _ci_python_versions(project: Path) -> list[str]:
    if (project / WORKFLOW).is_file():
        return list(
            _yaml(project / WORKFLOW)["jobs"]["test"]["strategy"]["matrix"]["python-version"]
        )
    (matrix,) = _yaml(project / GITLAB_CI)["test"]["parallel"]["matrix"]
    return list(matrix["PYTHON_VERSION"])


@pytest.mark.parametrize(
    "variant", variant_params(*(name for name in (*GITHUB, *GITLAB) if name in PYTHON))
)
def test_ci_tests_every_supported_python_version(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    classifiers = tomllib.loads((project / "pyproject.toml").read_text())["project"]["classifiers"]
    supported = [
        entry.rsplit(" :: ", 1)[1]
        for entry in classifiers
        if entry.startswith("Programming Language :: Python :: 3.")
    ]
    # Every version from python_min on, as copier/facts.yml lists them (not as the template
    # computed them: a wrong computation would agree with itself).
    expected = list(SUPPORTED_PYTHONS[SUPPORTED_PYTHONS.index(variant.python_min) :])
    assert supported == expected
    assert _ci_python_versions(project) == expected


@pytest.mark.parametrize("variant", variant_params(*GITHUB, *GITLAB))
def test_ci_history_scan_uses_the_hook_version_and_the_whole_history(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    rev = _hook_pins(project)["https://github.com/gitleaks/gitleaks"]
    if (project / WORKFLOW).is_file():
        job = _yaml(project / WORKFLOW)["jobs"]["secrets"]
        version = rev.removeprefix("v")
        archive = f"/download/{rev}/gitleaks_{version}_linux_x64.tar.gz"
        assert job["env"]["GITLEAKS_ARCHIVE_URL"].endswith(archive)
        assert re.fullmatch(r"[0-9a-f]{64}", job["env"]["GITLEAKS_ARCHIVE_SHA256"])
        (checkout,) = (
            step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")
        )
        assert checkout["with"]["fetch-depth"] == 0
    else:
        job = _yaml(project / GITLAB_CI)["secrets"]
        assert job["image"]["name"] == f"ghcr.io/gitleaks/gitleaks:{rev}"
        assert job["variables"]["GIT_DEPTH"] == "0"
    # ... and the job does scan: one `gitleaks git` run, secrets redacted, in the checkout.
    scans = [
        command for command in _ci_job_commands(project, ("secrets",)) if "gitleaks " in command
    ]
    assert [command.split()[:2] for command in scans] == [["gitleaks", "git"]], scans
    assert "--redact" in scans[0].split()


def _ci_job_commands(project: Path, job_names: tuple[str, ...]) -> list[str]:
    """The shell scripts of the named CI jobs, in order (GitLab: with what they extend): each
    `run:` of a GitHub step, each item of a GitLab script, as their shells would run them."""
    commands: list[str] = []
    if (project / WORKFLOW).is_file():
        jobs = _yaml(project / WORKFLOW)["jobs"]
        for name in job_names:
            commands += [step["run"] for step in jobs[name]["steps"] if "run" in step]
    else:
        pipeline = _yaml(project / GITLAB_CI)
        for name in job_names:
            job = {**pipeline.get(pipeline[name].get("extends", ""), {}), **pipeline[name]}
            commands += [*job.get("before_script", []), *job["script"]]
    return [command for command in commands if command.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(GITHUB[0], GITLAB[0], GENERIC[0]))
def test_ci_job_commands_pass_in_the_bootstrapped_project(
    variant: Variant, hooked: Callable[[Variant], HookedProject]
) -> None:
    """What CI runs passes on the first commit as is. Python: lint, tests with coverage and
    pre-commit, `uv sync --locked` included, since bootstrap commits uv.lock. Generic: the
    one check job, which runs scripts/check (the hooks, the plan check included)."""
    with hooked(variant).scratch() as project:
        if variant.python:
            commands = _ci_job_commands(project.path, ("lint", "test", "pre-commit"))
            assert "uv sync --locked" in commands
            assert any("pre-commit run --all-files" in command for command in commands)
        else:
            commands = _ci_job_commands(project.path, ("check",))
            assert commands[-1] == "scripts/check"
        for command in commands:
            # Both CI systems run scripts with bash and stop at the first failing command.
            run(["bash", "-e", "-o", "pipefail", "-c", command], project.path, env=project.env)


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_bots_leave_the_plan_hook_alone_when_the_template_comes_from_a_url(
    ci: str, tmp_path: Path, template_release: Path
) -> None:
    """Copied from a git URL, the plan-check hook is a remote pin the bots could bump: they
    must not, since `copier update` moves it with the template."""
    project = tmp_path / "project"
    copier_copy(project, {"ci": ci}, src=f"git+file://{template_release}", vcs_ref=TEST_RELEASE)
    assert f"file://{template_release}" in _hook_pins(project)
    if ci == "github":
        _dependabot_leaves_template_pins_alone(project)
    else:
        _renovate_leaves_template_pins_alone(project)


def _all_ci_commands(project: Path) -> list[str]:
    """Every shell command of every job of the project's pipeline file."""
    if (project / WORKFLOW).is_file():
        jobs = tuple(_yaml(project / WORKFLOW)["jobs"])
    else:
        reserved = {"include", "stages", "variables", "default", "workflow", "image", "cache"}
        jobs = tuple(
            name
            for name in _yaml(project / GITLAB_CI)
            if not name.startswith(".") and name not in reserved
        )
    return _ci_job_commands(project, jobs)


def _runs(command: list[str], ci_command: str) -> bool:
    """Whether `ci_command` runs `command`, maybe with more options (its words, in order)."""
    words = iter(ci_command.split())
    return all(word in words for word in command)


def _check_steps(script: str) -> list[list[str]]:
    """The commands scripts/check runs when called without arguments, in order: the lines after
    its argument `case`, through its helpers `run`, `uv_sync` and `run_pre_commit`."""
    steps: list[list[str]] = []
    for line in script.split("\nesac\n", 1)[1].splitlines():
        words = line.split()
        match words[:1]:
            case ["run"]:
                steps.append(words[1:])
            case ["uv_sync"]:
                steps.append(["uv", "sync"])
            case ["run_pre_commit"]:
                steps.append(["pre-commit", *words[1:]])
    return steps


@pytest.mark.parametrize("variant", variant_params(*GITHUB, *GITLAB))
def test_ci_runs_every_check_of_scripts_check(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """scripts/check promises "every check CI runs": no check may be missing from CI (a
    generic project's CI runs scripts/check itself, where its team adds its checks)."""
    project = generated(variant)
    ci_commands = _all_ci_commands(project)
    if variant.stack != "python":
        assert any(_runs(["scripts/check"], command) for command in ci_commands), ci_commands
        return
    checks = _check_steps((project / "scripts/check").read_text())
    # A program's end-to-end tests (marked e2e), which the default pytest run leaves out.
    e2e = (
        [["uv", "run", "pytest", "-m", "e2e", "--no-cov"]] if variant.app_kind != "library" else []
    )
    expected = [
        ["uv", "sync"],
        ["uv", "run", "ruff"],
        ["uv", "run", "ruff"],
        ["uv", "run", "mypy"],
        ["uv", "run", "pytest"],
        *e2e,
        ["pre-commit", "run", "--all-files"],
    ]
    assert [check[: len(want)] for check, want in zip(checks, expected, strict=False)] == expected
    assert len(checks) == len(expected), checks
    missing = [" ".join(check) for check in checks if not any(_runs(check, c) for c in ci_commands)]
    assert missing == []
