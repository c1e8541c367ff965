"""What a platform team sets once in its fork (copier/company.yml) reaches every project: its
mirrors of the hook repositories, actions, images, downloads and Python index replace every
public location the generated files name, the offline hook harness still runs every hook
from there, and `copier update` keeps projects pointing at the company's locations. With
nothing set, the official locations are used, as before."""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from .helpers.company import SETTINGS, make_company_release, write_settings
from .helpers.copier_runs import copier_copy, read_answers
from .helpers.facts import QUESTIONS
from .helpers.generated_files import parse_structured_files, project_files
from .helpers.hook_mirrors import (
    REPOSITORIES,
    configured_hook_ids,
    hook_statuses,
    official_url,
    point_config_at_mirrors,
)
from .helpers.jinja_modules import jinja_macros
from .helpers.linters import check_devcontainer
from .helpers.processes import BIN, COPIER, run, tool_env
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.variants import Variant, variant_params

HOOK_REPOSITORIES = QUESTIONS["hook_repositories"]["default"]
GITHUB_ACTIONS = QUESTIONS["github_actions"]["default"]
CONTAINER_IMAGES = QUESTIONS["container_images"]["default"]
# The images among them (the other entries are versions, e.g. the uv release).
IMAGES = {name: entry for name, entry in CONTAINER_IMAGES.items() if isinstance(entry, dict)}
RELEASE_DOWNLOADS = QUESTIONS["release_downloads"]["default"]
MIRRORS = SETTINGS["mirrors"]
# The company projects: each stack, each CI service with files that name tools.
COMPANY_PROJECTS = [
    pytest.param(stack, ci, id=f"{stack}-{ci}", marks=pytest.mark.xdist_group("company"))
    for stack, ci in (("python", "github"), ("python", "gitlab"), ("generic", "github"))
]


@functools.cache
def public_index_hosts() -> frozenset[str]:
    """The hosts of the public Python package index: where this repository's own lockfile
    says its packages come from (their index and their files)."""
    lock = tomllib.loads((TEMPLATE_ROOT / "uv.lock").read_text())
    hosts = set()
    for package in lock["package"]:
        registry = package.get("source", {}).get("registry")
        if registry:
            hosts.add(urlsplit(registry).hostname)
        for artifact in [*package.get("wheels", []), package.get("sdist") or {}]:
            if "url" in artifact:
                hosts.add(urlsplit(artifact["url"]).hostname)
    hosts.discard(None)
    assert hosts, "uv.lock names no index"
    return frozenset(str(host) for host in hosts)


@functools.cache
def public_locations() -> dict[str, re.Pattern[str]]:
    """Every public location the template knows (copier/facts.yml and the public index), as
    a pattern that finds it in a file: what a project of a company with mirrors never names."""
    return {
        "hook repository host": re.compile(r"https://github\.com/|git@github\.com:"),
        **{
            f"hook repository {name}": re.compile(re.escape(hook["url"]))
            for name, hook in HOOK_REPOSITORIES.items()
        },
        **{
            f"action {action['repo']}": re.compile(rf"uses:\s*{re.escape(action['repo'])}@")
            for action in GITHUB_ACTIONS.values()
        },
        # Not the project's own image, which its release pushes to its platform's registry
        # (`ghcr.io/<owner>/<repository>` on GitHub): that is where it publishes, not a public
        # image it pulls.
        **{
            f"image registry {image['image'].split('/')[0]}": re.compile(
                rf"(?<![\w.-]){re.escape(image['image'].split('/')[0])}/"
                r"(?!<owner>/<repository>|\$\{GITHUB_REPOSITORY)"
            )
            for image in IMAGES.values()
        },
        **{
            f"download {name}": re.compile(
                re.escape("{0.scheme}://{0.netloc}/".format(urlsplit(download["url"])))
            )
            for name, download in RELEASE_DOWNLOADS.items()
        },
        **{
            f"index {host}": re.compile(rf"(?<![\w.-]){re.escape(host)}")
            for host in public_index_hosts()
        },
    }


def public_locations_named(project: Path) -> list[str]:
    """Every file and line of the project that names a public location."""
    found = []
    for name in sorted(project_files(project)):
        text = (project / name).read_text(encoding="utf-8", errors="replace")
        for what, pattern in public_locations().items():
            for number, line in enumerate(text.splitlines(), start=1):
                if pattern.search(line):
                    found.append(f"{name}:{number}: {what}: {line.strip()}")
    return found


# --- The mirror rule ----------------------------------------------------------------------


def test_mirrored_replaces_the_longest_matching_prefix() -> None:
    mirrored = jinja_macros("copier/macros.jinja").mirrored
    prefixes = {
        "https://github.com/": "https://git.acme.example/github/",
        "https://github.com/astral-sh/": "https://git.acme.example/astral/",
        "": "never-used-for-a-longer-match/",
    }
    assert (
        mirrored("https://github.com/gitleaks/gitleaks", prefixes)
        == "https://git.acme.example/github/gitleaks/gitleaks"
    )
    assert (
        mirrored("https://github.com/astral-sh/ruff-pre-commit", prefixes)
        == "https://git.acme.example/astral/ruff-pre-commit"
    )
    assert (
        mirrored("ghcr.io/astral-sh/uv", prefixes)
        == "never-used-for-a-longer-match/ghcr.io/astral-sh/uv"
    )
    assert mirrored("ghcr.io/astral-sh/uv", {}) == "ghcr.io/astral-sh/uv"
    assert mirrored("ghcr.io/astral-sh/uv", {"docker.io/": "x/"}) == "ghcr.io/astral-sh/uv"


def test_the_harness_maps_company_urls_back_to_the_official_ones() -> None:
    mirrored = jinja_macros("copier/macros.jinja").mirrored
    for hook in HOOK_REPOSITORIES.values():
        company = mirrored(hook["url"], MIRRORS["hooks"])
        assert company != hook["url"]
        assert official_url(company, MIRRORS["hooks"]) == hook["url"]
        assert hook["url"] in REPOSITORIES
    assert official_url("https://elsewhere.example/x/y", MIRRORS["hooks"]) == (
        "https://elsewhere.example/x/y"
    )


# --- With nothing set: the official locations ----------------------------------------------


@pytest.mark.parametrize("variant", variant_params("defaults", "framework", "generic"))
def test_with_no_company_settings_projects_use_the_official_locations(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    pins = {repo["repo"]: repo["rev"] for repo in config["repos"] if "://" in repo["repo"]}
    expected = {
        hook["url"]: hook["rev"]
        for hook in HOOK_REPOSITORIES.values()
        if variant.stack in hook["stacks"]
        and (variant.option("container") or not hook.get("container"))
    }
    assert {url: rev for url, rev in pins.items() if url in REPOSITORIES} == expected
    text = "\n".join((project / name).read_text() for name in project_files(project))
    company = [MIRRORS["python_index"]] + [
        prefix
        for kind in ("hooks", "actions", "images", "downloads")
        for prefix in MIRRORS[kind].values()
    ]
    assert not [location for location in company if location in text]
    if variant.ci == "github":
        workflow = (project / ".github/workflows/ci.yml").read_text()
        checkout = GITHUB_ACTIONS["checkout"]
        assert f"uses: {checkout['repo']}@{checkout['sha']} # {checkout['version']}" in workflow
        assert RELEASE_DOWNLOADS["gitleaks"]["url"] in workflow
    if variant.ci == "gitlab":
        pipeline = (project / ".gitlab-ci.yml").read_text()
        assert f"image: {IMAGES['uv_image']['image']}:{CONTAINER_IMAGES['uv']}-" in pipeline
    if variant.python:
        pyproject = tomllib.loads((project / "pyproject.toml").read_text())
        assert "index" not in pyproject["tool"]["uv"]
    # The index variables are only mentioned (as advice), never set.
    assert not re.search(r"(UV_DEFAULT_INDEX|PIP_INDEX_URL)(: |=)", text)


# --- With the company's settings -------------------------------------------------------------


@pytest.mark.parametrize(("stack", "ci"), COMPANY_PROJECTS)
def test_a_company_project_names_no_public_hook_repository_action_image_or_index(
    stack: str, ci: str, company_projects: Callable[[str, str], Path]
) -> None:
    """Every file, every line: only the company's locations (and the public services' docs)."""
    project = company_projects(stack, ci)
    assert public_locations_named(project) == []
    parse_structured_files(project)


@pytest.mark.parametrize(("stack", "ci"), COMPANY_PROJECTS)
def test_a_company_project_names_the_company_locations(
    stack: str, ci: str, company_projects: Callable[[str, str], Path]
) -> None:
    project = company_projects(stack, ci)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    remote = [repo["repo"] for repo in config["repos"] if repo["repo"].startswith("https://")]
    assert remote
    assert all(url.startswith("https://git.acme.example/mirrors/github/") for url in remote)
    index = MIRRORS["python_index"]
    if ci == "github":
        for workflow in (project / ".github/workflows").glob("*.yml"):
            uses = re.findall(r"uses:\s*(\S+)", workflow.read_text())
            assert uses
            assert all(use.startswith("acme-actions/") for use in uses), uses
            if re.search(r"\buv (sync|run|build|export)\b|\buvx ", workflow.read_text()):
                # (The container workflow's uv runs in the image build, which reads the
                # index from pyproject.toml and the Dockerfile.)
                assert yaml.safe_load(workflow.read_text())["env"]["UV_DEFAULT_INDEX"] == index
        dependabot = yaml.safe_load((project / ".github/dependabot.yml").read_text())
        ignored = {
            rule["dependency-name"]
            for update in dependabot["updates"]
            for rule in update.get("ignore", [])
        }
        assert set(remote) <= ignored
        if stack == "python":
            assert dependabot["registries"]["python-index"]["url"] == index
    else:
        pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
        images = [
            job["image"] for job in pipeline.values() if isinstance(job, dict) and "image" in job
        ]
        names = [image if isinstance(image, str) else image["name"] for image in images]
        assert names
        assert all(name.startswith("registry.acme.example/ghcr/") for name in names)
        assert pipeline["variables"]["PIP_INDEX_URL"] == index
        renovate = json.loads((project / "renovate.json").read_text())
        disabled = {
            name for rule in renovate["packageRules"] for name in rule.get("matchDepNames", [])
        }
        assert {url.split("://", 1)[1].split("/", 1)[1] for url in remote} <= disabled
    if stack == "python":
        pyproject = tomllib.loads((project / "pyproject.toml").read_text())
        assert pyproject["tool"]["uv"]["index"] == [
            {"name": "company", "url": index, "default": True}
        ]
        # The dev container installs uv with pip, then syncs: both from the company's index.
        devcontainer_file = project / ".devcontainer/devcontainer.json"
        validated = check_devcontainer(devcontainer_file)
        assert validated.returncode == 0, validated.stdout + validated.stderr
        devcontainer = json.loads(devcontainer_file.read_text())
        assert {"PIP_INDEX_URL": index, "UV_DEFAULT_INDEX": index}.items() <= devcontainer[
            "containerEnv"
        ].items()
    for script in ("scripts/bootstrap", "scripts/check"):
        assert f'PIP_INDEX_URL="${{PIP_INDEX_URL:-{index}}}"' in (project / script).read_text()


@pytest.mark.parametrize(("stack", "ci"), COMPANY_PROJECTS[:1])
def test_the_scan_finds_every_kind_of_public_location(
    stack: str, ci: str, company_projects: Callable[[str, str], Path]
) -> None:
    """The scan above can fail: each kind of public location is found where it is put back."""
    planted = {
        "hook repository": "  - repo: https://github.com/pre-commit/pre-commit-hooks\n",
        "action": "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n",
        "image registry": "  image: ghcr.io/astral-sh/uv:0.13.9-python3.12-trixie-slim\n",
        "download": f"      URL: {RELEASE_DOWNLOADS['gitleaks']['url']}\n",
        "index": "".join(
            f"# url = https://{host}/simple\n" for host in sorted(public_index_hosts())
        ),
    }
    for kind, line in planted.items():
        found = [what for what, pattern in public_locations().items() if pattern.search(line)]
        assert any(what.startswith(kind) for what in found), (kind, found)
    assert public_locations_named(company_projects(stack, ci)) == []


@pytest.mark.xdist_group("company")
def test_company_defaults_answer_the_questions(company_project: Path) -> None:
    """The security contact and the catalog entry default to the company's settings, and are
    recorded as answers (a project keeps its own; a fork's later change does not move it)."""
    answers = read_answers(company_project)
    assert answers["security_contact"] == SETTINGS["security_contact"]
    assert answers["catalog_entry"] is True
    assert "company" not in answers
    assert "<security@acme.example>" in (company_project / "SECURITY.md").read_text()


@pytest.mark.slow
@pytest.mark.parametrize(("stack", "ci"), COMPANY_PROJECTS[:1] + COMPANY_PROJECTS[2:])
def test_offline_hook_harness_runs_every_hook_from_the_company_mirrors(
    stack: str,
    ci: str,
    company_projects: Callable[[str, str], Path],
    shared_dir: Path,
    tmp_path: Path,
) -> None:
    """The harness maps the company's hook URLs to the local mirrors, and every hook runs."""
    project = tmp_path / "project"
    run(["cp", "-R", company_projects(stack, ci), project], tmp_path)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    remote = {repo["repo"] for repo in config["repos"] if repo["repo"].startswith("https://")}
    mirrors = point_config_at_mirrors(project, shared_dir / "hook-mirrors", MIRRORS["hooks"])
    assert set(mirrors) == remote, "every company hook repository is mirrored"
    # The company's package index (pyproject.toml's [[tool.uv.index]]) does not exist here.
    # pre-commit-uv installs the hooks' tools from it, as it should for the company's teams;
    # here pip installs them from the index this machine uses.
    env = tool_env(
        PRE_COMMIT_HOME=str(shared_dir / "pre-commit-home"), DISABLE_PRE_COMMIT_UV_PATCH="1"
    )
    run(["git", "init", "--quiet", "--initial-branch=main"], project, env=env)
    run(["git", "add", "--all"], project, env=env)
    ran = run(
        [BIN / "pre-commit", "run", "--all-files", "--verbose"], project, env=env, check=False
    )
    statuses = hook_statuses(ran.stdout)
    hook_ids = configured_hook_ids(project)
    assert {hook: statuses.get(hook) for hook in hook_ids} == dict.fromkeys(hook_ids, "Passed"), (
        ran.stdout[-4000:]
    )


@pytest.mark.slow
def test_updates_keep_a_project_on_the_company_mirrors_and_follow_them_when_they_move(
    tmp_path: Path,
) -> None:
    """Release v1 of the fork names one mirror host, v2 another: a project copied at v1
    points at the first, and after `copier update` at the second, with no conflict; the
    mirrors are never recorded in its answers file."""
    fork = make_company_release(tmp_path / "fork", "v1.0.0", SETTINGS)
    moved = json.loads(json.dumps(SETTINGS).replace("git.acme.example", "git2.acme.example"))
    write_settings(fork, moved)
    run(["git", "commit", "--quiet", "--all", "-m", "Mirrors moved"], fork)
    run(["git", "tag", "v2.0.0"], fork)

    project = tmp_path / "project"
    copier_copy(project, {}, src=fork, vcs_ref="v1.0.0")
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    run(["git", "add", "--all"], project)
    run(["git", "commit", "--quiet", "--no-verify", "-m", "Generated"], project)
    before = (project / ".pre-commit-config.yaml").read_text()
    assert "https://git.acme.example/mirrors/github/" in before

    run([COPIER, "update", "--defaults", "--vcs-ref", "v2.0.0"], project)
    after = (project / ".pre-commit-config.yaml").read_text()
    assert "https://git.acme.example/" not in after
    assert "https://git2.acme.example/mirrors/github/" in after
    assert not run(["git", "diff", "--name-only", "--diff-filter=U"], project).stdout
    assert public_locations_named(project) == []
    assert "mirrors" not in (project / ".copier-answers.yml").read_text()
