"""A project made by the previous release of this template updates to this working tree cleanly.

Answers files are a public interface: whatever this repository's code changes, a project made
from the last release must take `copier update --defaults` without a conflict, a refused answer
or a `.rej` file, and end up with what a fresh copy of this release gives it (seeded files are
the team's and stay as they were).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from .helpers import update_story as story_
from .helpers.copier_runs import copier_copy, read_answers
from .helpers.facts import GENERATED_FILES
from .helpers.generated_files import project_files
from .helpers.processes import COPIER, run
from .helpers.template_repo import TEMPLATE_ROOT, plain_template_copy

# The last release of this template before the changes under test: main as it landed before
# them. Move it forward to the newest released commit whenever a release is made.
PREVIOUS_RELEASE = "1206d58a8614c3a320c9e7b6cb51b6d1c5a4660e"
OLD, NEW = "v1.0.0", "v1.1.0"

ANSWER_SETS = {
    "defaults": {},
    "api-gitlab": {"project_type": "api", "ci": "gitlab", "license": "Apache-2.0"},
    "cli-free-text": {
        "project_type": "cli",
        "ci": "none",
        "python_min": "3.12",
        "project_name": "Nightly Ledger Sync",
        "problem_statement": "Finance reconciles by hand.\n# Not a heading\n- [ ] not a task",
        "goals_primary": "Match 95% of invoices\nFlag the rest",
    },
}


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template repository: the previous release tagged OLD, this working tree tagged NEW."""
    has_commit = run(
        ["git", "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"], TEMPLATE_ROOT, check=False
    )
    assert has_commit.returncode == 0, (
        f"the previous release {PREVIOUS_RELEASE} is not in this clone's history: "
        "clone the repository with its full history (not --depth 1)"
    )
    repo = tmp_path_factory.mktemp("releases") / "template"
    repo.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", PREVIOUS_RELEASE],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(repo, filter="tar")
    run(["git", "init", "--quiet", "--initial-branch=main"], repo)
    run(["git", "add", "--all"], repo)
    run(["git", "commit", "--quiet", "-m", f"Release {OLD}"], repo)
    run(["git", "tag", OLD], repo)
    for child in repo.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    plain_template_copy(repo)
    run(["git", "add", "--all"], repo)
    run(["git", "commit", "--quiet", "-m", f"Release {NEW}"], repo)
    run(["git", "tag", NEW], repo)
    return repo


def seeded_paths(project: Path) -> set[str]:
    package = read_answers(project)["package_name"]
    return {entry.rendered(package) for entry in GENERATED_FILES if entry.owner == "seeded"}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_project_from_the_previous_release_updates_to_this_one_as_a_fresh_copy(
    name: str, releases: Path, tmp_path: Path
) -> None:
    answers = ANSWER_SETS[name]
    project = tmp_path / "project"
    copier_copy(project, answers, src=releases, vcs_ref=OLD)
    before = {path: (project / path).read_bytes() for path in project_files(project)}
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    run(["git", "add", "--all"], project)
    run(
        ["git", "commit", "--quiet", "--no-verify", "-m", "Project at the previous release"],
        project,
    )
    recorded = {key: value for key, value in read_answers(project).items() if key[0] != "_"}

    updated = run(
        [COPIER, "update", "--defaults", "--vcs-ref", NEW, "--conflict", "inline"], project
    )
    assert "Conflict" not in updated.stdout + updated.stderr
    assert not run(["git", "diff", "--name-only", "--diff-filter=U"], project).stdout
    assert read_answers(project)["_commit"] == NEW
    # No answer key was renamed or dropped, and no recorded answer changed.
    now = read_answers(project)
    assert {key: now.get(key) for key in recorded} == recorded

    fresh = tmp_path / "fresh"
    copier_copy(fresh, answers, src=releases, vcs_ref=NEW)
    after = project_files(project)
    assert not [path for path in after if path.endswith(".rej")]
    seeded = seeded_paths(project)
    for path in sorted(after | project_files(fresh)):
        if path in seeded and path not in before:
            # Seeded files are written by `copier copy` only: one a release adds (new starting
            # code) never reaches a project made before it.
            assert path not in after, f"{path} is seeded: an update must not add it"
        elif path in seeded:
            assert (project / path).read_bytes() == before[path], f"{path} is seeded: untouched"
        else:
            assert path in after, f"{path} did not arrive"
            assert (project / path).read_bytes() == (fresh / path).read_bytes(), path


@pytest.mark.slow
def test_the_previous_release_is_still_what_this_test_names(releases: Path) -> None:
    """The fixture really holds two different releases, so the update above did something."""
    changed = run(["git", "diff", "--stat", OLD, NEW], releases).stdout
    assert changed.strip(), "the previous release equals this working tree"


# The files this release adds to every project (owners, policies, assistants), which a project
# of the previous release receives by `copier update`.
GOVERNANCE_FILES = ("CODEOWNERS", "SECURITY.md", "CONTRIBUTING.md", "AGENTS.md", "CLAUDE.md")


@pytest.mark.slow
def test_new_files_reach_a_project_of_the_previous_release_without_losing_team_work(
    releases: Path, tmp_path: Path
) -> None:
    """A team that worked on a project of the previous release updates: the new files
    arrive, answered from the new questions' defaults, and every line it wrote is kept."""
    project = tmp_path / "project"
    copier_copy(project, {"project_type": "api"}, src=releases, vcs_ref=OLD)
    assert not [name for name in GOVERNANCE_FILES if (project / name).exists()]
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    story_.commit_all(project, "Project at the previous release")
    team_lines = story_.team_edits(project, read_answers(project)["package_name"])
    story_.commit_all(project, "Team work")

    run([COPIER, "update", "--defaults", "--vcs-ref", NEW, "--conflict", "inline"], project)
    for name in GOVERNANCE_FILES:
        assert (project / name).is_file(), f"{name} did not arrive"
    answers = read_answers(project)
    assert answers["owners"] == answers["author_email"]
    assert f"* {answers['owners']}" in (project / "CODEOWNERS").read_text().splitlines()
    for path, lines in team_lines.items():
        if not (project / path).exists():
            assert path in GOVERNANCE_FILES, f"{path} is gone"
            continue
        text = (project / path).read_text().splitlines()
        assert not [line for line in lines if line not in text], path
