"""A company's fork of this template: copier/company.yml filled in, as a platform team does.

The settings name made-up company hosts (`*.acme.example`); generated projects must name
them, and no public hook repository, action or index, wherever the template would otherwise
use one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .processes import run
from .template_repo import plain_template_copy

SETTINGS: dict[str, Any] = {
    "security_contact": "security@acme.example",
    "catalog_entry": True,
    "template_reviewers": "@acme/platform",
    "git_servers": {
        "github": "https://github.acme.example",
        "gitlab": "https://gitlab.acme.example",
    },
    "mirrors": {
        "hooks": {"https://github.com/": "https://git.acme.example/mirrors/github/"},
        "actions": {
            "actions/": "acme-actions/",
            "astral-sh/": "acme-actions/astral-sh-",
            "pypa/": "acme-actions/pypa-",
        },
        "images": {
            "ghcr.io/": "registry.acme.example/ghcr/",
            "docker.io/": "registry.acme.example/docker/",
            "mcr.microsoft.com/": "registry.acme.example/mcr/",
            "registry.gitlab.com/": "registry.acme.example/gitlab/",
        },
        "downloads": {"https://github.com/": "https://artifacts.acme.example/github/"},
        "python_index": "https://pypi.acme.example/simple/",
    },
}
COMPANY_FILE = "copier/company.yml"


def write_settings(template: Path, settings: dict[str, Any]) -> None:
    """Fill in the fork's copier/company.yml, keeping every key the template defines."""
    path = template / COMPANY_FILE
    document = yaml.safe_load(path.read_text())
    defaults = document["company"]["default"]
    unknown = set(settings) - set(defaults)
    assert not unknown, f"{COMPANY_FILE} has no settings {sorted(unknown)}"
    defaults.update(settings)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def make_company_release(destination: Path, tag: str, settings: dict[str, Any]) -> Path:
    """The company's fork: this working tree with its settings, committed and tagged."""
    destination.mkdir(parents=True)
    plain_template_copy(destination)
    write_settings(destination, settings)
    run(["git", "init", "--quiet", "--initial-branch=main"], destination)
    run(["git", "add", "--all"], destination)
    run(["git", "commit", "--quiet", "-m", f"Company release {tag}"], destination)
    run(["git", "tag", tag], destination)
    return destination
