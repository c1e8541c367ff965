"""The answer sets the suite generates once per session and checks in many ways."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from .facts import OPTIONS, PROJECT_TYPES_DATA, SUPPORTED_PYTHONS


@dataclass(frozen=True)
class Variant:
    """One answer set the suite generates once and checks in many ways."""

    name: str
    answers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def stack(self) -> str:
        return str(self.answers.get("stack", "python"))

    @property
    def python(self) -> bool:
        """Whether it is a Python project (the generic stack has no Python files)."""
        return self.stack == "python"

    @property
    def project_type(self) -> str:
        return str(self.answers.get("project_type", "library"))

    @property
    def app_kind(self) -> str:
        """The starting code its project type gets (project_types in copier/facts.yml)."""
        return str(PROJECT_TYPES_DATA[self.project_type]["app_kind"])

    @property
    def ci(self) -> str:
        return str(self.answers.get("ci", "github"))

    @property
    def python_min(self) -> str:
        return str(self.answers.get("python_min", SUPPORTED_PYTHONS[0]))

    @property
    def package(self) -> str:
        return str(self.answers.get("package_name", "my_project"))

    def option(self, name: str) -> bool:
        """A yes/no option: as answered, else the project type's default (copier/facts.yml);
        never for a project of another stack than Python (the options are not asked)."""
        if self.stack != "python":
            return False
        return bool(self.answers.get(name, PROJECT_TYPES_DATA[self.project_type][name]))

    @property
    def license(self) -> str:
        return str(self.answers.get("license", "MIT"))

    @property
    def catalog_entry(self) -> bool:
        return bool(self.answers.get("catalog_entry", False))

    @property
    def conditions(self) -> dict[str, object]:
        """The answers `generated_files` entries may depend on (their `when` keys)."""
        options: dict[str, object] = {name: self.option(name) for name in OPTIONS}
        return {
            "stack": self.stack,
            "ci": self.ci,
            "app_kind": self.app_kind,
            "license": self.license,
            "catalog_entry": self.catalog_entry,
            **options,
        }


# Every project type and every option value appears at least once. Every variant but the
# defaults, "options" and one generic makes a catalog entry (test_catalog_entry.py covers a
# library's with the company's). The yes/no options
# (container, docs_site, devcontainer) are covered without generating every combination: each
# project type once with the options its defaults give (container on for api, web_app and
# automation; docs_site on for library and framework), and "options" once with every option
# its type does not have by default switched on (a cli, so a command in the image; GitHub,
# so the container and docs workflows; proprietary, so a release that publishes nowhere).
# So each option is on and off at least once, on GitHub and GitLab (devcontainer does not
# depend on the CI), and every kind of starting code goes into an image.
VARIANTS = {
    variant.name: variant
    for variant in (
        Variant("defaults"),  # library, MIT, github, Python 3.11, no catalog entry
        Variant(
            "framework",
            {
                "project_type": "framework",
                "license": "Apache-2.0",
                "ci": "gitlab",
                "python_min": "3.12",
                "owners": "@acme/finance/ledger ledger-team@acme.example",
                "catalog_entry": True,
                "catalog_system": "finance-platform",
            },
        ),
        Variant(
            "cli",
            {
                "project_type": "cli",
                "license": "BSD-3-Clause",
                "ci": "none",
                "python_min": "3.13",
                "catalog_entry": True,
                "repository_url": "https://git.example.com/tools/my-project",
            },
        ),
        Variant(
            "api",
            {
                "project_type": "api",
                "license": "GPL-3.0-or-later",
                "ci": "github",
                "owners": "@acme/payments @alice",
                "security_contact": "https://acme.example/security",
                "catalog_entry": True,
                "catalog_system": "invoicing",
                "catalog_lifecycle": "production",
            },
        ),
        Variant(
            "web_app",
            {
                "project_type": "web_app",
                "license": "MPL-2.0",
                "ci": "gitlab",
                "catalog_entry": True,
            },
        ),
        Variant(
            "desktop",
            {
                "project_type": "desktop",
                "license": "proprietary",
                "python_min": "3.12",
                "catalog_entry": True,
                "repository_url": "",
            },
        ),
        Variant(
            "mobile_app",
            {
                "project_type": "mobile_app",
                "ci": "none",
                "python_min": "3.13",
                "catalog_entry": True,
            },
        ),
        Variant(
            "automation",
            {
                "project_type": "automation",
                "license": "Apache-2.0",
                "project_name": "Nightly Ledger Sync",
                "package_name": "ledger_sync",
                "owners": "@nightly-ops",
                "catalog_entry": True,
                "catalog_lifecycle": "deprecated",
            },
        ),
        Variant(
            "options",
            {
                "project_type": "cli",
                "license": "proprietary",
                "python_min": "3.12",
                "container": True,
                "docs_site": True,
                "devcontainer": True,
            },
        ),
        # The generic stack: the same files for every project type (their text differs, which
        # tests/test_generic_stack.py checks by rendering each type), so two are generated here.
        Variant("generic", {"stack": "generic", "project_type": "cli"}),
        Variant(
            "generic_gitlab",
            {
                "stack": "generic",
                "project_type": "web_app",
                "ci": "gitlab",
                "license": "proprietary",
                "project_name": "Storefront Web",
                "owners": "@storefront/web-team",
                "catalog_entry": True,
            },
        ),
    )
}
# The variants of each stack, by name.
PYTHON = tuple(name for name, variant in VARIANTS.items() if variant.python)
GENERIC = tuple(name for name, variant in VARIANTS.items() if not variant.python)
# The variants bootstrapped with their hooks for real (the `hooked` fixture): every Python one,
# and one generic (the generic ones differ in text only, and the hooks read text alike).
HOOKED = (*PYTHON, GENERIC[0])


def variant_params(*names: str) -> list[Any]:
    """Parametrize over variants, grouping each one on a single xdist worker."""
    return [
        pytest.param(VARIANTS[name], id=name, marks=pytest.mark.xdist_group(name))
        for name in (names or tuple(VARIANTS))
    ]
