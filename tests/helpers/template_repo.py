"""This working tree as a template to copy from: a plain folder, or a tagged release."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from .processes import run

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]
# The tag of the release of this working tree that the session's projects are generated from.
TEST_RELEASE = "v1.0.0"


def template_files() -> list[str]:
    """The files of this template as they are in the working tree (tracked or new, not ignored)."""
    listed = run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], TEMPLATE_ROOT
    ).stdout
    return sorted({name for name in listed.split("\0") if name and (TEMPLATE_ROOT / name).exists()})


def make_template_release(destination: Path, tag: str) -> Path:
    """A git repository holding this working tree, committed and tagged `tag`.

    Copier copies and updates from it exactly as from the company's git server, and pre-commit
    can install this repository's hooks from it.
    """
    destination.mkdir(parents=True)
    plain_template_copy(destination)
    run(["git", "init", "--quiet", "--initial-branch=main"], destination)
    run(["git", "add", "--all"], destination)
    run(["git", "commit", "--quiet", "-m", f"Release {tag}"], destination)
    run(["git", "tag", tag], destination)
    return destination


def plain_template_copy(destination: Path) -> Path:
    """This working tree's files in a folder that is not a git repository.

    Copier renders such a folder in place instead of cloning it first, which makes the tests
    that generate hundreds of projects affordable.
    """
    for name in template_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (TEMPLATE_ROOT / name).is_symlink():  # as git keeps it: a link, not a copy
            target.symlink_to((TEMPLATE_ROOT / name).readlink())
        else:
            shutil.copy2(TEMPLATE_ROOT / name, target)
    return destination


def locked_versions() -> dict[str, str]:
    """The release of every package this repository's uv.lock pins, by name."""
    lock = tomllib.loads((TEMPLATE_ROOT / "uv.lock").read_text())
    return {package["name"]: package["version"] for package in lock["package"]}
