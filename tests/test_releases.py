"""Releases: a tag vX.Y.Z runs one release workflow (GitHub) or the release jobs (GitLab). The
steps that can run here run on a generated project, as CI runs them (read out of the CI files):
the tag, version and changelog check, the sdist and wheel, the CycloneDX SBOM (validated
against the CycloneDX schema). What needs the hosted platform (publishing, attestations, the
platform's release) is linted elsewhere and checked for its shape here."""

from __future__ import annotations

import json
import shutil
import tarfile
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.copier_runs import read_answers
from .helpers.facts import PROJECT_TYPES_DATA
from .helpers.linters import cyclonedx_errors
from .helpers.processes import run, tool_env
from .helpers.variants import VARIANTS, Variant, variant_params

GITHUB = [name for name, v in VARIANTS.items() if v.ci == "github" and v.python]
GITLAB = [name for name, v in VARIANTS.items() if v.ci == "gitlab" and v.python]
RELEASE_WORKFLOW = ".github/workflows/release.yml"
RELEASE_JOBS = ".gitlab/release.yml"
SECTION = "### Added\n\n- The first release: the ledger balances.\n"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def add_changelog_section(project: Path, version: str) -> None:
    """A section for `version`, after the others (the notes are what lies under it)."""
    changelog = project / "CHANGELOG.md"
    assert "## [Unreleased]\n" in changelog.read_text()
    with changelog.open("a") as text:
        text.write(f"\n## [{version}] - 2026-11-26\n\n{SECTION}")


def release_commands(project: Path) -> tuple[list[str], dict[str, str]]:
    """The shell scripts CI runs to check and build a release, and the tag's variables."""
    if (project / RELEASE_WORKFLOW).is_file():
        jobs = _yaml(project / RELEASE_WORKFLOW)["jobs"]
        commands = [
            step["run"]
            for name in ("check", "build")
            for step in jobs[name]["steps"]
            if "run" in step
        ]
        return commands, {"GITHUB_REF_NAME": "v0.1.0"}
    pipeline = {**_yaml(project / ".gitlab-ci.yml"), **_yaml(project / RELEASE_JOBS)}
    commands = []
    for name in ("release-check", "release-build"):
        job = pipeline[name]
        bases = job["extends"] if isinstance(job["extends"], list) else [job["extends"]]
        before = [line for base in bases for line in pipeline[base].get("before_script", [])]
        commands += [*before, *job["script"]]
    return commands, {"CI_COMMIT_TAG": "v0.1.0", "CI_JOB_ID": "4242"}


@pytest.fixture(scope="session")
def released(
    generated: Callable[[Variant], Path], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Variant], Path]:
    """Each variant with a changelog section for 0.1.0, its release steps run for v0.1.0."""
    cache: dict[str, Path] = {}

    def get(variant: Variant) -> Path:
        if variant.name not in cache:
            project = tmp_path_factory.mktemp(f"release-{variant.name}") / "project"
            shutil.copytree(generated(variant), project)
            run(["uv", "lock"], project)  # scripts/bootstrap does it: uv.lock is committed
            add_changelog_section(project, "0.1.0")
            commands, env = release_commands(project)
            for command in commands:
                run(["bash", "-e", "-o", "pipefail", "-c", command], project, env=tool_env(**env))
            cache[variant.name] = project
        return cache[variant.name]

    return get


@pytest.mark.slow
# One project per platform: the steps are the same for every type. On GitLab they run after
# the `.uv` template's `uv sync --locked`, so the type with the fewest dependencies there
# (framework) keeps it cheap.
@pytest.mark.parametrize("variant", variant_params(GITHUB[0], GITLAB[0]))
def test_release_steps_build_the_distributions_notes_and_a_valid_sbom(
    variant: Variant, released: Callable[[Variant], Path]
) -> None:
    project = released(variant)
    answers = read_answers(project)
    distribution = answers["distribution_name"]
    normalised = distribution.replace("-", "_")
    assert (project / "release-notes.md").read_text() == SECTION
    # What `dist/*` names, as the upload and release steps glob it (uv adds a .gitignore).
    dist = sorted(p.name for p in (project / "dist").iterdir() if not p.name.startswith("."))
    assert dist == [f"{normalised}-0.1.0-py3-none-any.whl", f"{normalised}-0.1.0.tar.gz"]
    with zipfile.ZipFile(project / "dist" / dist[0]) as wheel:
        assert f"{answers['package_name']}/__init__.py" in wheel.namelist()
    with tarfile.open(project / "dist" / dist[1]) as sdist:
        assert any(name.endswith("/pyproject.toml") for name in sdist.getnames())
    (sbom,) = (project / "sbom").iterdir()
    assert sbom.name == f"{distribution}-0.1.0.cdx.json"
    document = json.loads(sbom.read_text())
    assert cyclonedx_errors(sbom, document["specVersion"]) == ""
    assert document["bomFormat"] == "CycloneDX"
    assert document["metadata"]["component"]["name"] == distribution
    assert document["metadata"]["component"]["version"] == "0.1.0"
    runtime = {component["name"] for component in document.get("components", [])}
    dependencies = [dep.split(">")[0].split("=")[0] for dep in _pyproject_dependencies(project)]
    assert set(dependencies) <= runtime
    assert not {"pytest", "mypy", "ruff"} & runtime, "dev tools are not what the package runs"


def _pyproject_dependencies(project: Path) -> list[str]:
    return list(tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"])


@pytest.mark.slow
def test_sbom_validation_rejects_a_broken_document(tmp_path: Path) -> None:
    """The validation above can fail: on a field of the wrong type, and on a link that is not
    an IRI reference (a format its schema declares, which its extra's checker checks)."""
    broken = tmp_path / "broken.cdx.json"
    document = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": "one"}
    broken.write_text(json.dumps(document))
    assert "'one' is not of type 'integer'" in cyclonedx_errors(broken, "1.5")
    link = tmp_path / "link.cdx.json"
    link.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.5",
                "version": 1,
                "externalReferences": [{"type": "website", "url": "https://exa mple.com/<a>"}],
            }
        )
    )
    assert "On instance['externalReferences'][0]['url']" in cyclonedx_errors(link, "1.5")


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(GITHUB[0]))
def test_release_check_refuses_a_tag_that_is_not_the_version_or_has_no_changelog_section(
    variant: Variant, released: Callable[[Variant], Path], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        released(variant), project, symlinks=True, ignore=shutil.ignore_patterns(".venv")
    )
    refusals = {
        "v0.2.0": "does not match the project's version 0.1.0",
        "0.1.0": "is not a release tag",
        "v0.1": "is not a release tag",
        "v0.1.0-rc1": "is not a release tag",
    }
    for tag, message in refusals.items():
        checked = run(["scripts/release-check", tag], project, check=False)
        assert checked.returncode == 1, tag
        assert message in checked.stderr, (tag, checked.stderr)
    run(["uv", "version", "--frozen", "0.2.0"], project)  # pyproject.toml only
    checked = run(["scripts/release-check", "v0.2.0"], project, check=False)
    assert checked.returncode == 1
    assert "CHANGELOG.md has no section for 0.2.0" in checked.stderr
    add_changelog_section(project, "0.2.0")
    run(["scripts/release-check", "v0.2.0"], project)


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_github_release_workflow_publishes_what_the_project_type_ships(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    workflow = _yaml(project / RELEASE_WORKFLOW)
    assert workflow[True] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}  # `on:` reads as True
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    licence = read_answers(project)["license"]
    to_pypi = PROJECT_TYPES_DATA[variant.project_type]["publishes"] and licence != "proprietary"
    assert ("publish" in jobs) == to_pypi
    assert ("image" in jobs) == variant.option("container")
    # The identity token only where it is used: Trusted Publishing and the attestations.
    with_token = {
        name for name, job in jobs.items() if job.get("permissions", {}).get("id-token") == "write"
    }
    assert with_token == {"attest", *(["publish"] if to_pypi else [])}
    if to_pypi:
        assert jobs["publish"]["environment"]["name"] == "pypi"
        assert jobs["publish"]["permissions"] == {"id-token": "write"}
        uses = [step.get("uses", "") for step in jobs["publish"]["steps"]]
        assert sum("pypa/gh-action-pypi-publish@" in use for use in uses) == 1
    assert any(
        "attest-build-provenance" in step.get("uses", "") for step in jobs["attest"]["steps"]
    )
    release = jobs["release"]
    assert set(release["needs"]) == set(jobs) - {"release"}
    (create,) = [step["run"] for step in release["steps"] if "run" in step]
    assert "gh release create" in create
    assert "--notes-file artifacts/release-notes/release-notes.md" in create
    assert "artifacts/sbom/*" in create


@pytest.mark.parametrize("variant", variant_params(*GITLAB))
def test_gitlab_release_jobs_publish_what_the_project_type_ships(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    jobs = _yaml(project / RELEASE_JOBS)
    publishes = PROJECT_TYPES_DATA[variant.project_type]["publishes"]
    assert ("release-publish" in jobs) == publishes
    assert ("release-image" in jobs) == variant.option("container")
    release = jobs["release-gitlab"]["release"]
    assert release["description"] == "./release-notes.md"
    assert release["tag_name"] == "$CI_COMMIT_TAG"
    assert jobs[".release"]["rules"] == [{"if": r"$CI_COMMIT_TAG =~ /^v[0-9]+\.[0-9]+\.[0-9]+$/"}]
    stages = _yaml(project / ".gitlab-ci.yml")["stages"]
    assert {job["stage"] for name, job in jobs.items() if not name.startswith(".")} <= set(stages)
