"""`copier update` across releases v1 → v2 → v3 never loses a line a team wrote.

For each kind of starting code, and for a generic project, one story (see
helpers/update_story.py) is told once per session: generate at v1, let a team edit, update hop
by hop through the `copier` CLI without --trust. Each test checks one promise against what was
recorded.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .helpers import update_story as story_
from .helpers.copier_runs import copier_copy
from .helpers.facts import GENERATED_FILES, PROJECT_TYPES, PROJECT_TYPES_DATA
from .helpers.processes import run
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.variants import Variant


def _same_files_as(project_type: str) -> frozenset[str]:
    """The files a Python project of this type gets with its default answers (a project of
    another type getting the same files tells the same story)."""
    conditions = Variant(project_type, {"project_type": project_type}).conditions
    return frozenset(file.path for file in GENERATED_FILES if file.wanted_for(conditions))


def _widest(project_types: tuple[str, ...]) -> list[str]:
    """For each kind of starting code, the project types whose files no other type of that
    kind has all of (the first type of equal sets: types of one set differ in words, not in
    files or their owners)."""
    widest = []
    for app_kind in dict.fromkeys(PROJECT_TYPES_DATA[kind]["app_kind"] for kind in project_types):
        of_kind = [
            kind for kind in project_types if PROJECT_TYPES_DATA[kind]["app_kind"] == app_kind
        ]
        unique = {_same_files_as(kind): kind for kind in reversed(of_kind)}
        widest += [
            kind for files, kind in unique.items() if not any(files < other for other in unique)
        ]
    return widest


# One story per kind of starting code, told by the type of that kind with the most files (a
# mobile app starts as an api does, with fewer files), so that every file a Python project can
# start with, as each kind renders it, goes through the releases with a team's edits; and one
# for a generic project. Switching the options with team edits has its own story
# (tests/test_options.py).
STORIES: dict[str, dict[str, str]] = {
    **{kind: {"project_type": kind} for kind in _widest(PROJECT_TYPES)},
    "generic": {"stack": "generic", "project_type": "web_app"},
}
TYPES = [
    pytest.param(name, id=name, marks=pytest.mark.xdist_group(f"update-{name}")) for name in STORIES
]


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return story_.make_releases(tmp_path_factory.mktemp("releases"))


@pytest.fixture(scope="session")
def stories(
    releases: Path, tmp_path_factory: pytest.TempPathFactory, shared_dir: Path
) -> Callable[[str], story_.Story]:
    cache: dict[str, story_.Story] = {}
    hooks = story_.HookSetting(shared_dir / "hook-mirrors", shared_dir / "pre-commit-home")

    def get(name: str) -> story_.Story:
        if name not in cache:
            root = tmp_path_factory.mktemp(f"story-{name}")
            cache[name] = story_.tell(releases, root, STORIES[name], hooks)
        return cache[name]

    return get


def test_every_file_a_project_type_gets_is_in_an_update_story_of_its_kind() -> None:
    """What lets one story stand for every type of its kind whose files it has: no file's
    condition names the project type itself, only what its answers give (kind of code,
    options)."""
    assert all("project_type" not in file.when for file in GENERATED_FILES)
    told = [STORIES[name]["project_type"] for name in STORIES if name != "generic"]
    for kind in PROJECT_TYPES:
        app_kind = PROJECT_TYPES_DATA[kind]["app_kind"]
        assert any(
            PROJECT_TYPES_DATA[story]["app_kind"] == app_kind
            and _same_files_as(kind) <= _same_files_as(story)
            for story in told
        ), f"no update story has all the files of {kind}"


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_every_line_the_team_wrote_survives_every_release(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    story = stories(name)
    for hop_name, hop in story.hops.items():
        for path, lines in story.team_lines.items():
            assert path in hop.files, f"{path} is gone after {hop_name}"
            text = hop.files[path].splitlines()
            missing = [line for line in lines if line not in text]
            assert not missing, f"after {hop_name}, {path} lost {missing}"


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_every_template_change_arrives(name: str, stories: Callable[[str], story_.Story]) -> None:
    story = stories(name)
    v2 = story.hops["v2"].files
    assert story_.V2_CI_JOB_NAME in v2[".github/workflows/ci.yml"]
    assert all(line in v2[".gitignore"].splitlines() for line in story_.V2_GITIGNORE_LINES)
    assert story_.V2_README_REQUIREMENTS in v2["README.md"]
    assert story_.V2_PLAN_SECTION in v2["implementation.md"].splitlines()
    # A new file, rendered with a question old answers files do not have: its default applies.
    assert "Ask for help at dev@example.com." in v2["SUPPORT.md"]
    # ... and the template's new file is guarded in CODEOWNERS, next to the team's own line.
    assert "/SUPPORT.md dev@example.com" in v2["CODEOWNERS"].splitlines()
    assert story_.V2_CODEOWNERS_COMMENT in v2["CODEOWNERS"].splitlines()
    assert story_.V2_CONTRIBUTING_LINE in v2["CONTRIBUTING.md"]
    v3 = story.hops["v3"].files
    assert ".dockerignore" in v2
    assert ".dockerignore" not in v3
    assert story_.V3_EDITORCONFIG_COMMENT in v3[".editorconfig"]


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_conflicts_appear_only_where_both_sides_changed_and_are_inline(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    story = stories(name)
    for hop in story.hops.values():
        assert hop.rejects == [], f"{hop.name} left .rej files"
    v2 = story.hops["v2"]
    # Only README's requirements line was changed by both the team and the template.
    assert v2.conflicted == ["README.md"]
    readme = v2.files["README.md"]
    conflict = readme[
        readme.index(story_.CONFLICT_MARKERS[0]) : readme.index(story_.CONFLICT_MARKERS[2])
    ]
    assert story_.TEAM_README_REQUIREMENTS in conflict
    assert story_.V2_README_REQUIREMENTS in conflict
    assert readme.count(story_.CONFLICT_MARKERS[0]) == 1
    for hop in story.hops.values():
        for path, text in hop.files.items():
            if path != "README.md" or hop.name != "v2":
                assert story_.CONFLICT_MARKERS[0] not in text, f"{hop.name}: {path}"


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_project_checks_pass_after_the_releases(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    """The project's own checks (a Python project's uv sync, ruff, mypy and pytest; a generic
    project's scripts/check) pass once the updates to v2 and v3 are in, with the team's work."""
    assert stories(name).hops["v3"].check_failures == {}  # None if they had not run


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_update_at_the_same_version_changes_nothing(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    hop = stories(name).hops["v3 again"]
    assert hop.changed == []


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_changing_answers_swaps_files_cleanly(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    """The update to v3 also changes the CI service (GitHub to GitLab) and the licence: the
    files of the old answers go, those of the new ones come, and the team's own are left."""
    story = stories(name)
    before, after = story.hops["v2"].files, story.hops["v3"].files
    assert story_.NEW_ANSWERS == {"ci": "gitlab", "license": "Apache-2.0"}
    assert ".github/workflows/ci.yml" in before
    assert before["LICENSE"].lstrip().startswith("MIT License")
    assert not [path for path in after if path.startswith(".github/")]
    assert ".gitlab-ci.yml" in after
    assert after["LICENSE"].lstrip().startswith("Apache License")
    # Nothing the team owns was touched by the answer change.
    untouched = [
        path for path in story.hops["v3"].changed if path.startswith(("src/", "tests/", "docs/"))
    ]
    assert untouched == []


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_deleted_seeded_file_does_not_come_back(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    for hop in stories(name).hops.values():
        assert story_.DELETED_SEEDED_FILE not in hop.files, hop.name


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_edited_template_owned_file_is_merged_not_overwritten(
    name: str, stories: Callable[[str], story_.Story]
) -> None:
    editorconfig = stories(name).hops["v3"].files[".editorconfig"]
    assert story_.V3_EDITORCONFIG_COMMENT in editorconfig  # the template's change
    assert story_.TEAM_EDITORCONFIG.strip() in editorconfig  # and the team's


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_updates_never_ask_for_trust(name: str, stories: Callable[[str], story_.Story]) -> None:
    for hop in stories(name).hops.values():
        assert "--trust" not in hop.output
        assert "unsafe" not in hop.output.lower()


@pytest.mark.slow
@pytest.mark.parametrize("name", TYPES)
def test_seeded_files_belong_to_the_team_after_the_first_copy(
    name: str, releases: Path, stories: Callable[[str], story_.Story]
) -> None:
    """v2 appends a line to every seeded file of the template; not one reaches the project.

    Every seeded file this project gets (by generated_files) is byte-identical after each
    update to what the team had; that the manifest calls the right files seeded is proven
    against the documented ownership table (tests/test_docs_tell_the_truth.py).
    """
    story = stories(name)
    package = story.package or ""
    changed_in_v2 = {
        path.replace("{package}", package) for path in story_.seeded_template_files(releases)
    }
    seeded = [
        entry.rendered(package)
        for entry in GENERATED_FILES
        if entry.owner == "seeded" and entry.wanted_for(Variant(name, STORIES[name]).conditions)
    ]
    assert set(seeded) <= changed_in_v2
    at_v2 = run(["git", "show", "v2.0.0:template/CHANGELOG.md.jinja"], releases).stdout
    assert story_.V2_SEEDED_LINE in at_v2  # the release really changed them
    kept = [path for path in seeded if path != story_.DELETED_SEEDED_FILE]
    assert kept
    for hop in story.hops.values():
        for path in kept:
            assert hop.files.get(path) == story.before_updates[path], f"{hop.name}: {path}"
        assert story_.V2_SEEDED_LINE not in "".join(hop.files.values())


def check_update_command(project: Path) -> str:
    """The template check the generated CI schedules, read out of the CI file itself."""
    github = project / ".github/workflows/template-update.yml"
    if github.exists():
        steps = yaml.safe_load(github.read_text())["jobs"]["check"]["steps"]
        (command,) = [step["run"] for step in steps if "check-update" in step.get("run", "")]
        return str(command)
    job = yaml.safe_load((project / ".gitlab/template-update.yml").read_text())
    (command,) = [line for line in job["template-update-check"]["script"] if "check-update" in line]
    return str(command)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ci", "version", "behind"),
    [("github", "v1.0.0", True), ("gitlab", "v1.0.0", True), ("github", "v3.0.0", False)],
)
def test_scheduled_ci_job_reports_when_the_project_is_behind_its_template(
    releases: Path, tmp_path: Path, ci: str, version: str, behind: bool
) -> None:
    project = tmp_path / "project"
    copier_copy(project, {"ci": ci}, src=releases, vcs_ref=version)
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    story_.commit_all(project, "Generated")
    run(["bash", "-c", check_update_command(project)], project)
    status = json.loads((project / "template-status.json").read_text())
    assert status == {
        "update_available": behind,
        "current_version": version.removeprefix("v"),
        "latest_version": "3.0.0",
    }


def test_template_check_uses_the_copier_release_this_repository_is_tested_with() -> None:
    questions = yaml.safe_load((TEMPLATE_ROOT / "copier/technical.yml").read_text())
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())
    pins = [dep for dep in pyproject["dependency-groups"]["dev"] if dep.startswith("copier==")]
    assert pins == [f"copier=={questions['copier_version']['default']}"]
