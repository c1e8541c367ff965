"""The plan check as a pre-commit hook served from this repository, pinned to a release.

A release is a tagged git repository of this working tree (`make_template_release`). Projects
are generated from it with the real `copier` CLI and the hook runs through the real pre-commit.
The generated config's other repositories are on GitHub, out of reach of the tests: pre-commit
runs here with a config holding only the plan check's block, exactly as generated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from .helpers.copier_runs import copier_copy
from .helpers.processes import COPIER, run, tool_env
from .helpers.template_repo import (
    TEMPLATE_ROOT,
    TEST_RELEASE,
    make_template_release,
    template_files,
)
from .helpers.variants import Variant, variant_params

# The tests that build releases and run pre-commit share one worker, its release and its cache.
on_release_worker = pytest.mark.xdist_group("plan_hook")

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
TAG = TEST_RELEASE
HOOK_ID = "implementation-plan"
FULL_HASH = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module")
def release(template_release: Path) -> Path:
    """The session's tagged release of this working tree (conftest), built once per worker."""
    return template_release


@pytest.fixture(scope="module")
def project(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project generated from the release tag (kept pristine: tests work on copies)."""
    destination = tmp_path_factory.mktemp("projects") / "pinned"
    copier_copy(destination, src=release, vcs_ref=TAG)
    return destination


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook is installed once per release."""
    return tmp_path_factory.mktemp("pre-commit-home")


def plan_hook_block(project: Path) -> dict[str, Any]:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    blocks = [
        repo for repo in config["repos"] if any(hook["id"] == HOOK_ID for hook in repo["hooks"])
    ]
    assert len(blocks) == 1
    assert config["repos"][-1] == blocks[0], "the plan check is the last repository block"
    block: dict[str, Any] = blocks[0]
    return block


def git_project(source: Path, destination: Path) -> Path:
    """A copy of a generated project as a git repository with every file staged."""
    shutil.copytree(source, destination)
    run(["git", "init", "--quiet", "--initial-branch=main"], destination)
    run(["git", "add", "--all"], destination)
    return destination


def run_plan_hook(project: Path, home: Path, *, args: list[str] | None = None) -> tuple[int, str]:
    """`pre-commit run implementation-plan --all-files` with the generated block alone:
    its exit status and everything it printed."""
    block = plan_hook_block(project)
    if args is not None:
        block["hooks"][0]["args"] = args
    config = project.parent / f"{project.name}-plan-only.yaml"
    config.write_text(yaml.safe_dump({"repos": [block]}))
    completed = run(
        [PRE_COMMIT, "run", "--config", config, HOOK_ID, "--all-files", "--verbose"],
        project,
        env=tool_env(PRE_COMMIT_HOME=str(home)),
        check=False,
    )
    return completed.returncode, completed.stdout + completed.stderr


@on_release_worker
def test_hook_is_pinned_to_the_release_the_project_came_from(project: Path, release: Path) -> None:
    block = plan_hook_block(project)
    assert block["repo"] == str(release)
    assert block["rev"] == TAG
    assert block["hooks"] == [{"id": HOOK_ID, "verbose": True}]


@on_release_worker
def test_rendering_one_release_twice_gives_the_same_config(
    project: Path, release: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    copier_copy(again, src=release, vcs_ref=TAG)
    config = ".pre-commit-config.yaml"
    assert (again / config).read_text() == (project / config).read_text()
    assert str(tmp_path) not in (again / config).read_text()


@on_release_worker
def test_relative_template_path_becomes_absolute(release: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    relative = Path("..") / ".." / release.parent.name / release.name
    assert (workdir / relative).resolve() == release.resolve()
    destination = workdir / "relative"
    run([COPIER, "copy", "--defaults", "--vcs-ref", TAG, relative, destination.name], workdir)
    block = plan_hook_block(destination)
    assert block["repo"] == str(release.resolve())
    assert block["rev"] == TAG


@on_release_worker
def test_git_plus_url_becomes_a_plain_git_url(release: Path, tmp_path: Path) -> None:
    destination = tmp_path / "from-url"
    env = tool_env(COPIER_CACHE_DIR=str(tmp_path / "copier-cache"))
    source = f"git+{release.as_uri()}"
    run([COPIER, "copy", "--defaults", "--vcs-ref", TAG, source, destination], tmp_path, env=env)
    block = plan_hook_block(destination)
    assert block["repo"] == release.as_uri()
    assert block["rev"] == TAG


@pytest.mark.slow
@on_release_worker
def test_untagged_commit_is_pinned_by_its_full_hash(tmp_path: Path) -> None:
    release = make_template_release(tmp_path / "starter", "v0.9.0")
    run(["git", "commit", "--quiet", "--allow-empty", "-m", "After the release"], release)
    head = run(["git", "rev-parse", "HEAD"], release).stdout.strip()
    destination = tmp_path / "untagged"
    copier_copy(destination, src=release, vcs_ref="HEAD")
    assert plan_hook_block(destination)["rev"] == head


@pytest.mark.slow
@on_release_worker
def test_copier_update_moves_the_hook_to_the_new_release(tmp_path: Path) -> None:
    release = make_template_release(tmp_path / "starter", TAG)
    project = tmp_path / "project"
    copier_copy(project, src=release, vcs_ref=TAG)
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    run(["git", "add", "--all"], project)
    run(["git", "commit", "--quiet", "-m", "Generated"], project)
    run(["git", "commit", "--quiet", "--allow-empty", "-m", "Next release"], release)
    run(["git", "tag", "v1.1.0"], release)
    run([COPIER, "update", "--defaults", "--vcs-ref", "v1.1.0"], project)
    assert plan_hook_block(project) == {
        "repo": str(release),
        "rev": "v1.1.0",
        "hooks": [{"id": HOOK_ID, "verbose": True}],
    }
    changed = run(["git", "diff", "--name-only"], project).stdout.split()
    assert sorted(changed) == [".copier-answers.yml", ".pre-commit-config.yaml"]


@on_release_worker
def test_hook_runs_through_pre_commit_and_reports_unfilled_fields(
    project: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    repository = git_project(project, tmp_path / "repo")
    status, output = run_plan_hook(repository, pre_commit_home)
    assert status == 0
    assert "implementation.md plan check" in output
    assert "Passed" in output
    assert "implementation.md: structure complete, " in output
    assert "  2. Requirements: 27 of 27 fields unfilled" in output


@on_release_worker
def test_hook_runs_on_commits_that_change_the_plan_and_on_every_full_run(
    project: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    """A commit of other files skips the check (its verdict cannot have changed); a commit of
    the plan runs it; a run over every file (CI, scripts/check) runs it and fails without a plan.
    """
    repository = git_project(project, tmp_path / "repo")
    config = repository.parent / "plan-only.yaml"
    config.write_text(yaml.safe_dump({"repos": [plan_hook_block(repository)]}))
    env = tool_env(PRE_COMMIT_HOME=str(pre_commit_home))

    def hook(*args: str) -> subprocess.CompletedProcess[str]:
        command: list[str | Path] = [PRE_COMMIT, "run", "--config", config, HOOK_ID, *args]
        return run(command, repository, env=env, check=False)

    run(["git", "commit", "--quiet", "--no-verify", "-m", "Generated"], repository)
    (repository / "README.md").write_text("# Renamed\n")
    run(["git", "add", "README.md"], repository)
    other = hook()
    assert other.returncode == 0
    assert "(no files to check)Skipped" in other.stdout
    plan = repository / "implementation.md"
    plan.write_text(plan.read_text().replace("## 4. Data Design", "## Data"))
    run(["git", "add", "implementation.md"], repository)
    damaged = hook()
    assert damaged.returncode == 1
    assert "required section 4 is missing" in damaged.stdout + damaged.stderr
    run(["git", "rm", "--quiet", "--force", "implementation.md"], repository)
    assert hook().returncode == 0  # a commit's staged files never show a deletion...
    deleted = hook("--all-files")  # ...which the run over every file in CI catches
    assert deleted.returncode == 1
    assert "implementation.md: error: no such file" in deleted.stdout + deleted.stderr


@on_release_worker
def test_hook_through_pre_commit_fails_on_a_damaged_plan(
    project: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    repository = git_project(project, tmp_path / "repo")
    plan = repository / "implementation.md"
    plan.write_text(plan.read_text().replace("## 4. Data Design", "## Data"))
    run(["git", "add", "--all"], repository)
    status, output = run_plan_hook(repository, pre_commit_home)
    assert status == 1
    assert "Failed" in output
    assert "required section 4 is missing" in output


@on_release_worker
def test_hook_through_pre_commit_can_require_sections_to_be_filled(
    project: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    repository = git_project(project, tmp_path / "repo")
    status, output = run_plan_hook(repository, pre_commit_home, args=["--require", "1,2"])
    assert status == 1
    assert 'section 2.1 (Functional Requirements): "Feature 1:" is unfilled' in output
    status, _ = run_plan_hook(repository, pre_commit_home, args=["--require", "3.4"])
    assert status == 1
    plan = repository / "implementation.md"
    plan.write_text(plan.read_text().replace("_TBD_ (Stripe", "none (Stripe"))
    plan.write_text(plan.read_text().replace("Auth Provider: _TBD_", "Auth Provider: none"))
    plan.write_text(plan.read_text().replace("Webhooks: _TBD_", "Webhooks: none"))
    run(["git", "add", "--all"], repository)
    status, _ = run_plan_hook(repository, pre_commit_home, args=["--require", "3.4"])
    assert status == 0


@pytest.mark.slow
@on_release_worker
def test_template_outside_git_installs_the_hook_from_its_folder(
    pre_commit_home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "starter"
    for name in template_files():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE_ROOT / name, folder / name)
    destination = tmp_path / "project"
    copier_copy(destination, src=folder)
    block = plan_hook_block(destination)
    assert block["repo"] == "local"
    assert block["hooks"][0]["additional_dependencies"] == [str(folder)]
    # The same hook as the one the manifest serves.
    (served,) = yaml.safe_load((TEMPLATE_ROOT / ".pre-commit-hooks.yaml").read_text())
    for key in ("id", "name", "entry", "language", "files", "pass_filenames"):
        assert block["hooks"][0][key] == served[key], key
    assert "always_run" not in block["hooks"][0]
    repository = git_project(destination, tmp_path / "repo")
    status, output = run_plan_hook(repository, pre_commit_home)
    assert status == 0
    assert "implementation.md: structure complete, " in output


@on_release_worker
def test_bootstrap_ticks_create_repository(project: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "bootstrapped"
    shutil.copytree(project, workdir)
    plan = workdir / "implementation.md"
    assert "- [ ] Create repository" in plan.read_text()
    run(["scripts/bootstrap", "--no-commit"], workdir)
    assert (workdir / ".git").is_dir()
    text = plan.read_text()
    assert "- [x] Create repository" in text
    assert "- [ ] Create repository" not in text
    run(["scripts/bootstrap", "--no-commit"], workdir)  # safe to run again
    assert plan.read_text() == text


def render_macro(call: str) -> str:
    """A macro of copier/macros.jinja rendered as Copier renders it (sandbox, Ansible filters)."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )
    source = "{% from 'copier/macros.jinja' import plan_hook_repo, plan_hook_rev %}" + call
    return environment.from_string(source).render()


@pytest.mark.parametrize(
    ("src_path", "url"),
    [
        ("gh:acme/starter", "https://github.com/acme/starter.git"),
        ("gh:/acme/starter.git", "https://github.com/acme/starter.git"),
        ("gl:platform/starter", "https://gitlab.com/platform/starter.git"),
        ("git+https://git.example.com/starter", "https://git.example.com/starter"),
        ("git+ssh://git@git.example.com/starter.git", "ssh://git@git.example.com/starter.git"),
        ("https://git.example.com/starter.git", "https://git.example.com/starter.git"),
        ("git@git.example.com:platform/starter.git", "git@git.example.com:platform/starter.git"),
        ("/srv/templates/starter", "/srv/templates/starter"),
    ],
)
def test_template_source_becomes_a_url_pre_commit_can_clone(src_path: str, url: str) -> None:
    assert render_macro(f"{{{{ plan_hook_repo({{'_src_path': {src_path!r}}}) }}}}") == url


@pytest.mark.parametrize(
    ("described", "full_hash", "rev"),
    [
        ("v2.3.0", FULL_HASH, "v2.3.0"),
        ("v2.3.0-4-g0123456", FULL_HASH, FULL_HASH),
        ("0123456", FULL_HASH, FULL_HASH),
        ("", "", ""),
    ],
    ids=["tag", "after-tag", "no-tag", "no-git"],
)
def test_revision_is_the_tag_or_else_the_full_hash(
    described: str, full_hash: str, rev: str
) -> None:
    answers = {"_commit": described} if described else {}
    conf = {"vcs_ref_hash": full_hash or None}
    assert render_macro(f"{{{{ plan_hook_rev({answers!r}, {conf!r}) }}}}") == rev


def test_hooks_manifest_serves_the_console_script_of_this_package() -> None:
    (hook,) = yaml.safe_load((TEMPLATE_ROOT / ".pre-commit-hooks.yaml").read_text())
    scripts = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["id"] == HOOK_ID
    assert hook["entry"] in scripts
    assert scripts[hook["entry"]] == "starter_template.plan_check:main"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert not hook.get("always_run", False)
    assert hook["files"] == r"^(implementation\.md|\.pre-commit-config\.yaml)$"


@pytest.mark.parametrize("variant", variant_params("defaults", "framework", "cli"))
def test_generated_ci_runs_the_plan_check(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """CI's pre-commit job runs every hook, the plan check among them, which prints its report."""
    project = generated(variant)
    ci = variant.answers.get("ci", "github")
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (plan_hook,) = [
        hook for repo in config["repos"] for hook in repo["hooks"] if hook["id"] == HOOK_ID
    ]
    assert plan_hook["verbose"] is True
    run_all = "pre-commit run --all-files"
    if ci == "github":
        workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
        steps = [entry.get("run", "") for entry in workflow["jobs"]["pre-commit"]["steps"]]
        assert any(run_all in command for command in steps)
    elif ci == "gitlab":
        pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
        assert any(run_all in command for command in pipeline["pre-commit"]["script"])
    else:
        assert not (project / ".github").exists()
        assert not (project / ".gitlab-ci.yml").exists()
