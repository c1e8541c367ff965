"""The generated tree, file by file, for each kind of starting code and each CI."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from .support import PROJECT_TYPES, VARIANTS, Variant, project_files, variant_params

COMMON = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".env.example",
    ".gitignore",
    ".gitleaks.toml",
    ".pre-commit-config.yaml",
    ".python-version",
    "CHANGELOG.md",
    "LICENSE",
    "README.md",
    "config/README.md",
    "config/development.toml",
    "config/production.toml",
    "config/test.toml",
    "docs/adr/0001-record-architecture-decisions.md",
    "docs/adr/README.md",
    "docs/adr/template.md",
    "docs/index.md",
    "implementation.md",
    "pyproject.toml",
    "ruff.toml",
    "scripts/bootstrap",
    "scripts/check",
    "src/{package}/__init__.py",
    "src/{package}/config.py",
    "src/{package}/errors.py",
    "src/{package}/log.py",
    "src/{package}/py.typed",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/test_config.py",
    "tests/test_logging.py",
    "tests/test_package.py",
}
BY_KIND = {
    "library": {"tests/test_app_starts.py"},
    "cli": {"src/{package}/__main__.py", "src/{package}/cli.py", "tests/test_cli.py"},
    "api": {
        "src/{package}/__main__.py",
        "src/{package}/api.py",
        "src/{package}/cli.py",
        "tests/test_api.py",
        "tests/test_cli.py",
    },
}
BY_CI = {
    "github": {
        ".github/dependabot.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/template-update.yml",
    },
    "gitlab": {".gitlab-ci.yml", ".gitlab/template-update.yml", "renovate.json"},
    "none": set(),
}


def expected_files(variant: Variant, package: str) -> set[str]:
    ci = variant.answers.get("ci", "github")
    names = COMMON | BY_KIND[variant.app_kind] | BY_CI[ci]
    return {name.format(package=package) for name in names}


@pytest.mark.parametrize("variant", variant_params())
def test_generated_tree_is_exactly_the_expected_files(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    package = variant.answers.get("package_name", "my_project")
    assert project_files(project) == expected_files(variant, package)


@pytest.mark.parametrize("variant", variant_params("defaults", "api"))
def test_scripts_are_executable(variant: Variant, generated: Callable[[Variant], Path]) -> None:
    for script in ("bootstrap", "check"):
        assert os.access(generated(variant) / "scripts" / script, os.X_OK)


def test_every_variant_is_covered() -> None:
    """Every project type, licence, CI and Python version is generated at least once."""
    seen: dict[str, set[str]] = {
        "project_type": set(),
        "license": set(),
        "ci": set(),
        "python_min": set(),
    }
    defaults = {"project_type": "library", "license": "MIT", "ci": "github", "python_min": "3.11"}
    for variant in VARIANTS.values():
        for key in seen:
            seen[key].add(str(variant.answers.get(key, defaults[key])))
    assert seen["project_type"] == set(PROJECT_TYPES)
    assert seen["license"] == {
        "MIT",
        "Apache-2.0",
        "BSD-3-Clause",
        "GPL-3.0-or-later",
        "MPL-2.0",
        "proprietary",
    }
    assert seen["ci"] == {"github", "gitlab", "none"}
    assert seen["python_min"] == {"3.11", "3.12", "3.13"}


@pytest.mark.parametrize("variant", variant_params())
def test_pyproject_matches_the_answers(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    python_min = variant.answers.get("python_min", "3.11")
    assert pyproject["project"]["requires-python"] == f">={python_min}"
    assert (project / ".python-version").read_text().strip() == python_min
    assert pyproject["tool"]["mypy"]["strict"] is True
    has_script = "scripts" in pyproject["project"]
    assert has_script == (variant.app_kind != "library")
    uses_fastapi = any(dep.startswith("fastapi") for dep in pyproject["project"]["dependencies"])
    assert uses_fastapi == (variant.app_kind == "api")


@pytest.mark.parametrize("variant", variant_params())
def test_license_has_the_full_text_of_the_chosen_licence(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    text = (generated(variant) / "LICENSE").read_text()
    first_words = {
        "MIT": "MIT License",
        "Apache-2.0": "Apache License",
        "BSD-3-Clause": "BSD 3-Clause License",
        "GPL-3.0-or-later": "GNU GENERAL PUBLIC LICENSE",
        "MPL-2.0": "Mozilla Public License Version 2.0",
        "proprietary": "All rights reserved",
    }
    last_words = {
        "MIT": "OTHER DEALINGS IN THE\nSOFTWARE.\n",
        "Apache-2.0": "limitations under the License.\n",
        "BSD-3-Clause": "POSSIBILITY OF SUCH DAMAGE.\n",
        "GPL-3.0-or-later": "<https://www.gnu.org/licenses/why-not-lgpl.html>.\n",
        "MPL-2.0": "defined by the Mozilla Public License, v. 2.0.\n",
        "proprietary": "EXPRESS OR IMPLIED.\n",
    }
    licence = variant.answers.get("license", "MIT")
    assert first_words[licence] in text.splitlines()[0] + text.splitlines()[1]
    assert text.endswith(last_words[licence])
    assert "{{" not in text
    if licence in {"MIT", "BSD-3-Clause", "proprietary"}:
        assert "Example Org" in text
