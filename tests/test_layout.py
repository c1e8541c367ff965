"""The generated tree, file by file, for each kind of starting code and each CI."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers.copier_runs import read_answers
from .helpers.facts import (
    CI_SERVICES,
    GENERATED_FILES,
    OPTIONS,
    OWNERS,
    PROJECT_TYPES,
    QUESTIONS,
    STACKS,
    SUPPORTED_PYTHONS,
    manifest_path,
)
from .helpers.generated_files import project_files
from .helpers.template_repo import TEMPLATE_ROOT, template_files
from .helpers.variants import PYTHON, VARIANTS, Variant, variant_params


def expected_files(variant: Variant) -> set[str]:
    """The paths `generated_files` (copier/facts.yml) lists for the variant's answers."""
    return {
        entry.rendered(variant.package)
        for entry in GENERATED_FILES
        if entry.wanted_for(variant.conditions)
    }


def test_every_template_file_is_listed_once_in_generated_files() -> None:
    """template/ and `generated_files` name the same files, each once, with a known owner."""
    listed = [entry.path for entry in GENERATED_FILES]
    assert len(listed) == len(set(listed)), "a path is listed twice in generated_files"
    in_template = [manifest_path(name) for name in template_files() if name.startswith("template/")]
    assert sorted(in_template) == sorted(listed)
    assert {entry.owner for entry in GENERATED_FILES} <= set(OWNERS)


@pytest.mark.parametrize("variant", variant_params())
def test_generated_tree_is_exactly_the_expected_files(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    assert project_files(generated(variant)) == expected_files(variant)


@pytest.mark.parametrize("variant", variant_params("defaults", "api", "generic"))
def test_scripts_are_executable(variant: Variant, generated: Callable[[Variant], Path]) -> None:
    for script in ("bootstrap", "check"):
        assert os.access(generated(variant) / "scripts" / script, os.X_OK)


def test_every_variant_is_covered() -> None:
    """Every project type, stack, licence, CI and Python version is generated at least once."""
    seen: dict[str, set[str]] = {
        "project_type": set(),
        "stack": set(),
        "license": set(),
        "ci": set(),
        "python_min": set(),
    }
    defaults = {
        "project_type": "library",
        "stack": "python",
        "license": "MIT",
        "ci": "github",
        "python_min": "3.11",
    }
    for variant in VARIANTS.values():
        for key in seen:
            seen[key].add(str(variant.answers.get(key, defaults[key])))
    assert seen["project_type"] == set(PROJECT_TYPES)
    assert seen["stack"] == set(STACKS)
    assert seen["license"] == set(QUESTIONS["license"]["choices"].values())
    assert seen["ci"] == set(CI_SERVICES)
    assert seen["python_min"] == set(SUPPORTED_PYTHONS)
    # Each yes/no option is on and off at least once, on GitHub and on GitLab (the dev
    # container does not depend on the CI), and every project type is generated once with
    # the options its defaults give.
    for option in OPTIONS:
        values = {variant.option(option) for variant in VARIANTS.values()}
        assert values == {True, False}, option
        if option != "devcontainer":
            for ci in ("github", "gitlab"):
                assert any(v.option(option) and v.ci == ci for v in VARIANTS.values()), (option, ci)
    at_defaults = {
        variant.project_type
        for variant in VARIANTS.values()
        if not set(OPTIONS) & set(variant.answers)
    }
    assert at_defaults == set(PROJECT_TYPES)


@pytest.mark.parametrize("variant", variant_params(*PYTHON))
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
    dependencies = {re.split("[<>=]", dep)[0] for dep in pyproject["project"]["dependencies"]}
    # FastAPI and pydantic-settings for the HTTP kinds; Jinja2 and forms for the web app.
    expected = {
        "api": {"fastapi", "pydantic-settings", "uvicorn"},
        "web": {"fastapi", "jinja2", "pydantic-settings", "python-multipart", "uvicorn"},
    }
    assert dependencies == expected.get(variant.app_kind, set())


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


# Where each licence's text leaves a place for the year and the copyright holder, as it words it.
PLACEHOLDERS = {
    "Apache-2.0": ("[yyyy]", "[name of copyright owner]"),
    "GPL-3.0-or-later": ("<year>", "<name of author>"),
    "MPL-2.0": (),  # Exhibit A has none; it invites "additional accurate notices of copyright"
}


@pytest.mark.parametrize("variant", variant_params())
def test_licence_answers_fill_every_place_the_licence_has_for_them(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    answers = read_answers(project)
    holder = f"{answers['copyright_year']} {answers['organisation']}"
    licence = (project / "LICENSE").read_text()
    original = (TEMPLATE_ROOT / "copier" / "licenses" / f"{variant.license}.txt").read_text()
    notice = project / "NOTICE"
    if variant.license not in PLACEHOLDERS:  # MIT, BSD-3-Clause, proprietary: LICENSE says it
        assert holder in licence or answers["organisation"] in licence
        assert answers["copyright_year"] in licence
        assert not notice.exists()
        return
    assert licence == original, "LICENSE keeps the licence text unchanged"
    text = notice.read_text()
    assert text.startswith(f"{answers['project_name']}: ")
    assert re.search(
        rf"^Copyright (\(C\) )?{re.escape(answers['copyright_year'])} +"
        rf"{re.escape(answers['organisation'])}$",
        text,
        re.M,
    ), text
    for placeholder in (*PLACEHOLDERS[variant.license], "<one line", "<program>"):
        assert placeholder not in text
    # The rest of the notice is the licence's own wording, line for line.
    body = [line.strip() for line in text.splitlines()[1:] if line.strip()]
    assert all(line in original or "Copyright" in line for line in body), text
