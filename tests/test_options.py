"""The yes/no options (container, docs_site, devcontainer): their defaults come from the project
type, anything but yes or no is refused naming the question, the dev container is valid, the
new workflows pass zizmor, and switching an option by `copier update` adds or removes exactly
its files while the team's work stays."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import update_story as story_
from .helpers.copier_runs import copier_copy, read_answers, refusal_of
from .helpers.facts import CONTAINER_IMAGES, GENERATED_FILES, OPTIONS, PROJECT_TYPES_DATA
from .helpers.generated_files import project_files
from .helpers.jinja_modules import jinja_macros
from .helpers.linters import actionlint, check_devcontainer, zizmor_findings
from .helpers.processes import COPIER, run
from .helpers.template_repo import TEST_RELEASE
from .helpers.variants import VARIANTS, Variant, variant_params

DEVCONTAINER = ".devcontainer/devcontainer.json"
AT_DEFAULTS = [
    name for name, v in VARIANTS.items() if v.python and not set(OPTIONS) & set(v.answers)
]
# The workflows this option set adds; zizmor at its strictest must find nothing above low.
NEW_WORKFLOWS = ("release.yml", "docs.yml", "container.yml")
GITHUB = [name for name, variant in VARIANTS.items() if variant.ci == "github" and variant.python]
GENERIC = [name for name, variant in VARIANTS.items() if not variant.python]


@pytest.mark.parametrize("variant", variant_params(*AT_DEFAULTS))
def test_each_option_defaults_to_what_the_project_type_says(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    answers = read_answers(generated(variant))
    for option in OPTIONS:
        assert answers[option] is PROJECT_TYPES_DATA[variant.project_type][option], option


@pytest.mark.parametrize("variant", variant_params(*GENERIC))
def test_a_generic_project_is_not_asked_and_gets_no_option(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """The options build on the Python toolchain: a generic project never claims one."""
    project = generated(variant)
    answers = read_answers(project)
    assert not set(OPTIONS) & set(answers)
    files = set(project_files(project))
    for option in OPTIONS:
        assert not files & option_files(option, "-"), option
    assert not {"scripts/release-check", ".github/workflows/release.yml"} & files
    assert not (project / ".gitlab" / "release.yml").exists()


def test_option_defaults_are_the_documented_ones() -> None:
    """container for the services and jobs, docs_site for the importable packages."""
    on = {
        option: {kind for kind, data in PROJECT_TYPES_DATA.items() if data[option]}
        for option in OPTIONS
    }
    assert on == {
        "container": {"api", "web_app", "automation"},
        "docs_site": {"library", "framework"},
        "devcontainer": set(),
    }


YES_OR_NO = [
    "true",
    "False",
    "yes",
    "NO",
    "y",
    "n",
    "on",
    "Off",
    "1",
    "0",
    " yes ",
    True,
    False,
    1,
    0,
]
NOT_YES_OR_NO = ["maybe", "2", "enabled", "si", "-1", "yes please", "[]", 2]


@pytest.mark.parametrize("option", OPTIONS)
def test_an_option_is_yes_or_no_and_nothing_else(option: str) -> None:
    """The validator every option runs (copier/macros.jinja), on what --data or a data file
    may give: Copier alone would read "maybe" as yes."""
    problem = jinja_macros("copier/macros.jinja").yes_no_problem
    for value in YES_OR_NO:
        assert str(problem(option, {"data": {option: value}})) == "", value
    for value in NOT_YES_OR_NO:
        message = str(problem(option, {"data": {option: value}}))
        assert message.startswith('Not yes or no; try "yes". '), value
        assert f'"{value}" is not a yes/no answer' in message, value
    # Asked on a terminal (no --data), Copier's yes/no prompt gives a boolean.
    assert str(problem(option, {"data": {}})) == ""
    assert str(problem(option, {"data": None})) == ""


@pytest.mark.slow
@pytest.mark.parametrize("option", OPTIONS)
def test_an_option_that_is_not_yes_or_no_is_refused_naming_it(
    option: str, plain_template: Path, tmp_path: Path
) -> None:
    refusal = refusal_of(plain_template, tmp_path / "project", {option: "maybe"})
    assert refusal is not None, f"{option}=maybe was accepted"
    assert refusal.startswith(f"Validation error for question '{option}': "), refusal
    assert '"maybe" is not a yes/no answer' in refusal
    assert not (tmp_path / "project").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("cli-options")
def test_cli_refuses_a_non_boolean_option_and_takes_yes_or_no(
    tmp_path: Path, plain_template: Path
) -> None:
    refused = copier_copy(
        tmp_path / "refused", {"container": "maybe"}, src=plain_template, check=False
    )
    assert refused.returncode != 0
    assert "Validation error for question 'container'" in refused.stderr
    assert not (tmp_path / "refused").exists()
    project = tmp_path / "taken"
    copier_copy(
        project, {"container": "yes", "docs_site": "0", "devcontainer": "On"}, src=plain_template
    )
    answers = read_answers(project)
    assert (answers["container"], answers["docs_site"], answers["devcontainer"]) == (
        True,
        False,
        True,
    )


# --- The dev container ---------------------------------------------------------------------


DEVCONTAINER_VARIANTS = [name for name, v in VARIANTS.items() if v.option("devcontainer")]


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(*DEVCONTAINER_VARIANTS))
def test_dev_container_is_valid_against_the_specifications_schema(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    checked = check_devcontainer(generated(variant) / DEVCONTAINER)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("variant", variant_params(*DEVCONTAINER_VARIANTS))
def test_dev_container_sets_up_the_project_in_one_step(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    config = json.loads((project / DEVCONTAINER).read_text())
    python = (project / ".python-version").read_text().strip()
    pinned = CONTAINER_IMAGES["devcontainer"]["versions"][python]
    assert config["image"] == (
        f"{CONTAINER_IMAGES['devcontainer']['image']}:{pinned['tag']}@{pinned['digest']}"
    )
    assert f"-{python}-" in pinned["tag"]
    # uv at the template's version, then what a team runs first: uv sync and pre-commit.
    command = config["postCreateCommand"]
    assert f"uv=={CONTAINER_IMAGES['uv']}" in command
    assert command.endswith("scripts/bootstrap --no-commit")
    assert config["containerEnv"]["UV_PYTHON_DOWNLOADS"] == "never"


@pytest.mark.slow
def test_dev_container_schema_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "devcontainer.json"
    broken.write_text('{"image": "python:3.12", "postCreateCommand": 3, "forwardPort": [80]}')
    checked = check_devcontainer(broken)
    assert checked.returncode == 1, checked.stdout


# --- The new workflows: zizmor and actionlint ------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_release_docs_and_container_workflows_pass_zizmor_and_actionlint(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    workflows = [
        project / ".github/workflows" / name
        for name in NEW_WORKFLOWS
        if (project / ".github/workflows" / name).is_file()
    ]
    assert workflows
    for workflow in workflows:
        findings, audited = zizmor_findings(workflow, project)
        above_low = [
            (finding["ident"], finding["determinations"]["severity"])
            for finding in findings
            if finding["determinations"]["severity"] not in {"Informational", "Low", "Unknown"}
        ]
        assert above_low == [], (workflow.name, above_low, audited)
        linted = actionlint(workflow)
        assert linted.returncode == 0, linted.stdout + linted.stderr
        text = workflow.read_text()
        # Every action pinned by commit, with its release named.
        for line in text.splitlines():
            if "uses:" in line:
                assert re.search(r"@[0-9a-f]{40} # v[0-9]", line), line


def test_zizmor_catches_an_unpinned_action_with_wide_permissions(tmp_path: Path) -> None:
    """The check above can fail."""
    workflow = tmp_path / ".github" / "workflows" / "release.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "name: Release\non:\n  push:\n    tags: ['v*']\npermissions: write-all\njobs:\n"
        "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n"
        "      - run: echo ${{ github.event.head_commit.message }}\n"
    )
    findings, _ = zizmor_findings(workflow, tmp_path)
    severities = {f["ident"]: f["determinations"]["severity"] for f in findings}
    assert {"unpinned-uses", "excessive-permissions", "template-injection"} <= set(severities)
    assert set(severities.values()) - {"Informational", "Low"}


# --- Switching options with copier update --------------------------------------------------


def option_files(name: str, package: str) -> set[str]:
    """The files an option adds, for a GitHub project (generated_files in copier/facts.yml)."""
    return {
        entry.rendered(package)
        for entry in GENERATED_FILES
        if name in entry.when and entry.when.get("ci", "github") == "github"
    }


TEAM_DOCKERFILE_LINE = "# Team: the image also serves /metrics (ops ticket 42)."


@pytest.fixture(scope="session")
def option_story(
    template_release: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    """A library generated at the test release, edited by its team, then updated twice at
    the same release: every option switched (container and devcontainer on, docs_site off),
    then back. Each step's files, changes and checks are recorded."""
    project = tmp_path_factory.mktemp("option-story") / "project"
    copier_copy(project, {"project_type": "library"}, src=template_release, vcs_ref=TEST_RELEASE)
    package = read_answers(project)["package_name"]
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    story_.commit_all(project, "Generated")
    team_lines = story_.team_edits(project, package)
    story_.commit_all(project, "Team work")
    steps: dict[str, object] = {"package": package, "team_lines": team_lines, "path": project}
    for name, data in (
        ("switched", {"container": "true", "devcontainer": "true", "docs_site": "false"}),
        ("switched back", {"container": "false", "devcontainer": "false", "docs_site": "true"}),
    ):
        if name == "switched back":
            # While the image was theirs, the team edited the Dockerfile.
            story_.append(project / "Dockerfile", TEAM_DOCKERFILE_LINE + "\n")
            story_.commit_all(project, "Team edits the Dockerfile")
        before = set(project_files(project))
        args = [item for key, value in data.items() for item in ("--data", f"{key}={value}")]
        updated = run([COPIER, "update", "--defaults", "--vcs-ref", TEST_RELEASE, *args], project)
        conflicts = run(["git", "diff", "--name-only", "--diff-filter=U"], project).stdout.split()
        files = story_.snapshot(project)
        failures = {}
        for check, command in story_.CHECKS.items():
            completed = run(command, project, check=False)
            if completed.returncode != 0:
                failures[check] = completed.stdout[-3000:] + completed.stderr[-3000:]
        shutil.rmtree(project / ".venv", ignore_errors=True)
        # What the update leaves for review: Copier commits nothing.
        status = run(["git", "status", "--porcelain"], project).stdout.splitlines()
        story_.commit_all(project, f"Options {name}")
        steps[name] = {
            "added": set(files) - before,
            "removed": before - set(files),
            "files": files,
            "conflicts": conflicts,
            "status": status,
            "failures": failures,
            "output": updated.stdout + updated.stderr,
        }
    return steps


@pytest.mark.slow
@pytest.mark.xdist_group("option-story")
def test_switching_options_adds_or_removes_exactly_their_files(
    option_story: dict[str, object],
) -> None:
    package = str(option_story["package"])
    container, devcontainer, docs = (
        option_files(name, package) for name in ("container", "devcontainer", "docs_site")
    )
    switched: dict[str, object] = option_story["switched"]  # type: ignore[assignment]
    back: dict[str, object] = option_story["switched back"]  # type: ignore[assignment]
    assert switched["added"] == container | devcontainer
    assert switched["removed"] == docs
    assert back["added"] == docs
    assert back["removed"] == container | devcontainer
    for step in (switched, back):
        assert step["conflicts"] == []
        assert "--trust" not in str(step["output"])


@pytest.mark.slow
@pytest.mark.xdist_group("option-story")
def test_switching_options_keeps_every_line_the_team_wrote_and_stays_green(
    option_story: dict[str, object],
) -> None:
    team_lines: dict[str, list[str]] = option_story["team_lines"]  # type: ignore[assignment]
    for name in ("switched", "switched back"):
        step: dict[str, object] = option_story[name]  # type: ignore[assignment]
        files: dict[str, str] = step["files"]  # type: ignore[assignment]
        for path, lines in team_lines.items():
            assert path in files, f"{path} is gone after the options were {name}"
            missing = [line for line in lines if line not in files[path].splitlines()]
            assert not missing, f"options {name}: {path} lost {missing}"
        assert step["failures"] == {}, name
    # The plan and the README follow the answers.
    switched: dict[str, dict[str, str]] = option_story["switched"]  # type: ignore[assignment]
    plan = switched["files"]["implementation.md"]
    assert "- [x] Docker & Containerization: `Dockerfile`" in plan
    assert "- [ ] API docs" in plan
    assert "## Container" in switched["files"]["README.md"]


@pytest.mark.slow
@pytest.mark.xdist_group("option-story")
def test_switching_an_option_off_leaves_its_edited_files_removal_for_review(
    option_story: dict[str, object],
) -> None:
    """Turning `container` off removes the Dockerfile the team edited (its lines are not
    merged anywhere): the update stages and commits nothing, so `git status`
    shows the removal and the team's line is in the last commit, for `git restore`."""
    back: dict[str, object] = option_story["switched back"]  # type: ignore[assignment]
    assert "Dockerfile" in back["removed"]  # type: ignore[operator]
    status: list[str] = back["status"]  # type: ignore[assignment]
    assert " D Dockerfile" in status, status
    history = run(
        ["git", "log", "-p", "--format=%s", "--", "Dockerfile"], Path(str(option_story["path"]))
    ).stdout
    assert f"+{TEAM_DOCKERFILE_LINE}" in history
