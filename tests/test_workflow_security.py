"""The generated CI is hardened: every GitHub workflow passes zizmor at its strictest persona
with no finding above low, pins each action to a commit SHA with its release in a comment (the
form Dependabot keeps current), keeps no credentials in a checkout and gives each job only
the permissions it needs; the GitLab pipeline pins its images and holds no secret."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.facts import QUESTIONS
from .helpers.linters import zizmor_findings
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.variants import VARIANTS, Variant, variant_params

GITHUB = [name for name, variant in VARIANTS.items() if variant.ci == "github"]
GITLAB = [name for name, variant in VARIANTS.items() if variant.ci == "gitlab"]
GITHUB_ACTIONS: dict[str, dict[str, str]] = QUESTIONS["github_actions"]["default"]
ACCEPTED_SEVERITIES = {"Informational", "Low"}
PINNED_USE = re.compile(
    r"^\s*(?:- )?uses: (?P<repo>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})"
    r" # (?P<version>v\d+\.\d+\.\d+)$"
)
# Jobs given other permissions than reading the repository, and why; every other job reads
# the repository and nothing else. The release and docs workflows' jobs are listed for when
# they are generated (issue 12): signing, publishing and deploying need their identity token.
JOB_PERMISSIONS = {
    # Opens or updates the issue saying a template release is waiting.
    ("template-update.yml", "check"): {"contents": "read", "issues": "write"},
    ("release.yml", "attest"): {"id-token": "write", "attestations": "write"},
    ("release.yml", "publish"): {"id-token": "write"},
    ("release.yml", "image"): {"contents": "read", "packages": "write"},
    ("release.yml", "release"): {"contents": "write"},
    ("docs.yml", "deploy"): {"pages": "write", "id-token": "write"},
}


def workflows(project: Path) -> list[Path]:
    found = sorted((project / ".github/workflows").glob("*.yml"))
    assert found
    return found


def above_low(findings: list[dict[str, Any]]) -> list[str]:
    return [
        f"{finding['ident']} ({finding['determinations']['severity']}): {finding['desc']}"
        for finding in findings
        if finding["determinations"]["severity"] not in ACCEPTED_SEVERITIES
    ]


def check_workflows(project: Path) -> None:
    for workflow in workflows(project):
        findings, audited = zizmor_findings(workflow, project)
        assert "completed" in audited, audited
        assert above_low(findings) == [], workflow.name


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_every_generated_workflow_passes_zizmor_with_nothing_above_low(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    check_workflows(generated(variant))


@pytest.mark.xdist_group("company")
def test_a_company_projects_workflows_pass_zizmor_too(company_project: Path) -> None:
    check_workflows(company_project)


def test_zizmor_rejects_an_unhardened_workflow(tmp_path: Path) -> None:
    """The check above can fail: each thing the generated workflows avoid is reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    workflow = folder / "ci.yml"
    workflow.write_text(
        "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    env:\n      TOKEN: ${{ secrets.TEMPLATE_REPO_TOKEN }}\n"
        "    steps:\n      - uses: actions/checkout@v5\n      - run: echo $TOKEN\n"
    )
    findings, _ = zizmor_findings(workflow, tmp_path)
    reported = {finding["ident"] for finding in findings}
    assert {"unpinned-uses", "artipacked", "excessive-permissions", "secrets-outside-env"} <= (
        reported
    )
    assert above_low(findings)


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_actions_are_pinned_by_commit_sha_with_their_release(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    pins = {action["repo"]: action for action in GITHUB_ACTIONS.values()}
    for workflow in workflows(generated(variant)):
        lines = [line for line in workflow.read_text().splitlines() if "uses:" in line]
        assert lines, workflow.name
        for line in lines:
            match = PINNED_USE.match(line)
            assert match, f"{workflow.name}: {line.strip()}"
            pin = pins[match["repo"]]
            assert (match["sha"], match["version"]) == (pin["sha"], pin["version"])


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_checkouts_keep_no_credentials_and_each_job_asks_only_what_it_needs(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    for path in workflows(generated(variant)):
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            expected = JOB_PERMISSIONS.get((path.name, name), {"contents": "read"})
            assert job["permissions"] == expected, (path.name, name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (path.name, name)
            uses_secrets = "secrets." in yaml.safe_dump(job)
            if uses_secrets:
                assert job["environment"] == {"name": "template-repository", "deployment": False}


@pytest.mark.slow
def test_generated_workflows_pin_the_actions_this_repositorys_ci_runs() -> None:
    """One pin per action: the generated workflows (copier/facts.yml) use the release this
    repository's own CI runs, which Dependabot keeps current; a bump there fails here until
    the facts follow."""
    own = (TEMPLATE_ROOT / ".github/workflows/ci.yml").read_text().splitlines()
    pinned = {
        match["repo"]: (match["sha"], match["version"])
        for line in own
        if (match := PINNED_USE.match(line))
    }
    shared = {key: action for key, action in GITHUB_ACTIONS.items() if action["repo"] in pinned}
    assert shared
    for action in shared.values():
        assert pinned[action["repo"]] == (action["sha"], action["version"]), action["repo"]


@pytest.mark.parametrize("variant", variant_params(*GITLAB))
def test_gitlab_images_are_pinned_and_scripts_hold_no_secret(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    images = QUESTIONS["container_images"]["default"]
    for name in (".gitlab-ci.yml", ".gitlab/template-update.yml"):
        pipeline = yaml.safe_load((project / name).read_text())
        jobs = {key: job for key, job in pipeline.items() if isinstance(job, dict)}
        for key, job in jobs.items():
            image = job.get("image")
            if image is None:
                continue
            reference = image if isinstance(image, str) else image["name"]
            repository, _, tag = reference.rpartition(":")
            assert tag, f"{name}: {key} has no tag"
            assert tag != "latest", f"{name}: {key}"
            if repository == images["uv_image"]["image"]:
                # A uv release, not a tag that moves with every one.
                assert tag.startswith(f"{images['uv']}-python"), f"{name}: {key}"
            scripts = "\n".join(
                str(line)
                for part in ("before_script", "script", "after_script")
                for line in job.get(part, [])
            )
            # Tokens are read from CI/CD variables, never written into a script.
            for assignment in re.findall(r"\b\w*(?:TOKEN|PASSWORD|SECRET)\w*=(\S+)", scripts):
                assert assignment.startswith('"$') or assignment.startswith("$"), assignment
            assert not re.search(r"glpat-|ghp_|github_pat_", scripts)
