"""The names derived from a project name: valid by construction, refused only when nothing
sensible can be derived, and kept clear of every name the generated project already uses."""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers.facts import SUPPORTED_PYTHONS
from .helpers.jinja_modules import jinja_macros
from .helpers.processes import run
from .helpers.variants import Variant, variant_params


def names() -> Any:
    return jinja_macros("copier/names.jinja")


def python_names() -> Any:
    return jinja_macros("copier/python_names.jinja")


# Project name -> (slug, package) that copier offers as defaults (more in test_hostile_names.py).
DERIVED = [
    ("Invoice Service", "invoice-service", "invoice_service"),
    ("2048", "2048", "py2048"),
    (
        "Straße Ærø Œuvre Łódź Þing",
        "strasse-aero-oeuvre-lodz-thing",
        "strasse_aero_oeuvre_lodz_thing",
    ),
    (
        "Re\u0301sume\u0301 (decomposed accents)",
        "resume-decomposed-accents",
        "resume_decomposed_accents",
    ),
    ("O'Brien\u2019s Tool", "obriens-tool", "obriens_tool"),
    ("  --Spaced__Out--  ", "spaced-out", "spaced_out"),
    ("Packaging", "packaging-project", "packaging_project"),
    ("Aux", "aux-project", "aux_project"),
    (
        "Quarterly Financial Reconciliation Service for the Nordics",
        "quarterly-financial-reconciliation",
        "quarterly_financial_reconciliation",
    ),
    ("9" * 60, "9" * 40, "py" + "9" * 38),
]


@pytest.mark.parametrize(("project_name", "slug", "package"), DERIVED)
def test_names_derived_from_the_project_name(project_name: str, slug: str, package: str) -> None:
    assert names().derive_slug(project_name) == slug
    assert names().derive_package(slug) == package


one_line_names = st.text(
    st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=100
).filter(str.strip)


@pytest.mark.slow
@settings(max_examples=300)
@given(one_line_names)
def test_names_derived_from_any_project_name_are_valid_or_the_name_is_refused(
    project_name: str,
) -> None:
    project_name = project_name.strip()  # spaces at either end are refused for themselves
    slug = names().derive_slug(project_name)
    refusal = names().project_name_problem(project_name, None)
    if not slug:
        assert refusal.startswith("No Latin letter or digit;")
        return
    assert refusal == ""
    package = names().derive_package(slug)
    assert names().slug_problem(slug) == ""
    assert names().distribution_problem(slug) == ""
    assert names().package_problem(package) == ""
    assert len(slug) <= 40
    assert len(package) <= 40


@pytest.mark.slow
@settings(max_examples=300)
@given(st.from_regex(r"[a-z0-9]{1,40}(-[a-z0-9]{1,10}){0,4}", fullmatch=True))
def test_packages_derived_from_any_distribution_name_are_valid(distribution: str) -> None:
    if names().distribution_problem(distribution):
        return  # Refused for itself: too long, or the name of an installed package.
    assert names().package_problem(names().derive_package(distribution)) == ""


@pytest.mark.parametrize("version", SUPPORTED_PYTHONS)
def test_reserved_module_names_cover_the_standard_library_of_every_supported_python(
    version: str,
) -> None:
    python = shutil.which(f"python{version}")
    assert python, f"python{version} is not on PATH (see tests/helpers/pythons.py)"
    listed = run(
        [python, "-c", "import sys; print(*sorted(sys.stdlib_module_names))"], Path.cwd()
    ).stdout.split()
    public = {name for name in listed if not name.startswith("_")}
    assert public <= set(python_names().STDLIB_MODULES)


def environment_names(project: Path) -> tuple[set[str], set[str], set[str]]:
    """Import names, distribution names and commands of a synced project's environment."""
    (site_packages,) = (project / ".venv" / "lib").glob("python*/site-packages")
    imports = {
        re.sub(r"\.(py|pth)$", "", path.name)
        for path in site_packages.iterdir()
        if not path.name.endswith((".dist-info", ".pth", ".so"))
        and path.name != "__pycache__"
        and (path.is_dir() or path.suffix == ".py")
    }
    lock = tomllib.loads((project / "uv.lock").read_text())
    distributions = {package["name"] for package in lock["package"]}
    commands = {
        path.name
        for path in (project / ".venv" / "bin").iterdir()
        if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.name)
    }
    return imports, distributions, commands


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("web_app"))
def test_reserved_names_cover_everything_a_generated_project_installs(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    """The web app installs the most (the api's packages and more); a new dependency upstream
    must be reserved too."""
    project = synced(variant)
    imports, distributions, commands = environment_names(project)
    own = {"my_project", "my-project"}
    assert imports - own - {name for name in imports if name.startswith("_")} <= set(
        python_names().TOOL_PACKAGES
    )
    assert distributions - own <= set(python_names().TOOL_DISTRIBUTIONS)
    assert commands - own <= set(python_names().TOOL_COMMANDS)
