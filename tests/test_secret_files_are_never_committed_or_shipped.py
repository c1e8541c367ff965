"""Files that hold secrets stay out of git (.gitignore) and out of image builds (.dockerignore).

The expectations are the places a team really puts a secret, written here by hand; the
generated ignore files are checked against them with git itself (`git check-ignore`) and with
Docker's own matching rules (the Docker SDK's `exclude_paths`, the same algorithm as the CLI's
build context). Every rule of the secrets block is shown to be needed: without it, a file
below would be committed or shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths

from .helpers.processes import run
from .helpers.variants import Variant, variant_params

# Where secrets end up in a project, and the rule that must catch each.
SECRET_FILES = (
    ".env",
    "src/my_project/.env",
    ".env.local",
    ".env.production",
    "config/.env.staging",
    "server.pem",
    "certs/server.pem",
    "server.key",
    "config/tls/private.key",
    "keystore.p12",
    "deploy/signing.p12",
    "client.pfx",
    "certs/client.pfx",
    "secrets/database-password.txt",
    "config/secrets/api-token",
)
# What must stay tracked: the settings template, and code that merely has a telling name.
TRACKED_FILES = (
    ".env.example",
    "src/my_project/secrets.py",
    "src/my_project/keys.py",
    "docs/secrets.md",
    "config/production.toml",
)
SECRETS_BLOCK = "# Secrets and local settings"


def secrets_block(ignore_file: str) -> list[str]:
    """The rules under the secrets comment of an ignore file, up to the first blank line."""
    lines = ignore_file.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("# Secrets"))
    block = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line)
    return block


def git_ignored(gitignore: str, directory: Path, paths: Iterable[str]) -> set[str]:
    """The paths git ignores with this .gitignore at the top of a fresh repository."""
    directory.mkdir(parents=True)
    run(["git", "init", "--quiet"], directory)
    (directory / ".gitignore").write_text(gitignore)
    checked = run(["git", "check-ignore", "--no-index", *paths], directory, check=False)
    assert checked.returncode in {0, 1}, checked.stderr
    return set(checked.stdout.splitlines())


def docker_ignored(dockerignore: str, context: Path, paths: Iterable[str]) -> set[str]:
    """The paths an image build leaves out of its context with this .dockerignore."""
    context.mkdir(parents=True, exist_ok=True)
    for path in paths:
        (context / path).parent.mkdir(parents=True, exist_ok=True)
        (context / path).write_text("content\n")
    patterns = [line for line in dockerignore.splitlines() if line and not line.startswith("#")]
    sent = exclude_paths(str(context), patterns)
    return {path for path in paths if path not in sent}


def needless_rules(
    rules: list[str], text: str, ignored: Callable[[str, Path], set[str]], tmp_path: Path
) -> list[str]:
    """The rules of `text` whose removal changes nothing `ignored` reports."""
    expected = ignored(text, tmp_path / "whole")
    needless = []
    for number, rule in enumerate(rules):
        lines = text.splitlines()
        lines.remove(rule)
        if ignored("\n".join(lines) + "\n", tmp_path / f"without-{number}") == expected:
            needless.append(rule)
    return needless


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_git_ignores_every_secret_file_and_keeps_the_settings_template(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    gitignore = (generated(variant) / ".gitignore").read_text()
    ignored = git_ignored(gitignore, tmp_path / "repository", (*SECRET_FILES, *TRACKED_FILES))
    assert ignored == set(SECRET_FILES)


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_every_secret_rule_of_the_gitignore_is_needed(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """Dropping any one rule of the secrets block lets a secret file in (or .env.example out):
    a rule no file above needs is an untested promise, so it fails here too."""
    gitignore = (generated(variant) / ".gitignore").read_text()
    rules = secrets_block(gitignore)
    assert {".env", ".env.*", "!.env.example"} <= set(rules)

    def ignored(text: str, directory: Path) -> set[str]:
        return git_ignored(text, directory, (*SECRET_FILES, *TRACKED_FILES))

    assert ignored(gitignore, tmp_path / "repository") == set(SECRET_FILES)
    assert needless_rules(rules, gitignore, ignored, tmp_path) == []


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_image_builds_leave_out_every_secret_file(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    dockerignore = (generated(variant) / ".dockerignore").read_text()
    ignored = docker_ignored(dockerignore, tmp_path, (*SECRET_FILES, *TRACKED_FILES))
    assert ignored >= set(SECRET_FILES)
    assert ".env.example" not in ignored


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_dockerignore_protects_what_the_gitignore_protects_each_rule_needed(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """The two secrets blocks name the same files (one in git's syntax, one in Docker's), and
    dropping any rule of the .dockerignore block ships a secret file."""
    project = generated(variant)
    dockerignore = (project / ".dockerignore").read_text()
    rules = secrets_block(dockerignore)
    git_rules = secrets_block((project / ".gitignore").read_text())
    assert [rule.replace("**/", "") for rule in rules] == git_rules

    def ignored(text: str, directory: Path) -> set[str]:
        return docker_ignored(text, directory, (*SECRET_FILES, ".env.example"))

    assert ignored(dockerignore, tmp_path / "context") == set(SECRET_FILES)
    assert needless_rules(rules, dockerignore, ignored, tmp_path) == []
