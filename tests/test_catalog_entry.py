"""The Backstage catalog entry (catalog-info.yaml): made when `catalog_entry` asks for it,
accepted by Backstage's own validation (@backstage/catalog-model) for every project type, and
saying what the answers say. The template's validators refuse what Backstage would reject."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.backstage import entity_problems, name_verdicts
from .helpers.copier_runs import read_answers
from .helpers.facts import CI_SERVICES, PROJECT_TYPES, PROJECT_TYPES_DATA
from .helpers.jinja_modules import jinja_macros
from .helpers.variants import VARIANTS, Variant, variant_params

CATALOG = "catalog-info.yaml"
WITH_ENTRY = [name for name, variant in VARIANTS.items() if variant.catalog_entry]
# The company's fork makes catalog entries by default; its project is a library, the one
# project type no variant makes an entry for.
COMPANY_TYPE = "library"


def entity(project: Path) -> dict[str, Any]:
    documents = list(yaml.safe_load_all((project / CATALOG).read_text()))
    assert len(documents) == 1
    assert isinstance(documents[0], dict)
    return documents[0]


def test_every_project_type_gets_a_catalog_entry_in_some_test() -> None:
    covered = {VARIANTS[name].project_type for name in WITH_ENTRY} | {COMPANY_TYPE}
    assert covered == set(PROJECT_TYPES)


def check_entry(project: Path, workdir: Path) -> None:
    """Backstage accepts the entry, and it says what the answers say."""
    answers = read_answers(project)
    found = entity(project)
    assert entity_problems([found], workdir) == [[]]
    assert found["kind"] == "Component"
    assert found["metadata"]["name"] == answers["project_slug"]
    assert found["metadata"]["title"] == answers["project_name"]
    spec = found["spec"]
    assert spec["type"] == PROJECT_TYPES_DATA[answers["project_type"]]["catalog"]
    assert spec["owner"] == answers["catalog_owner"]
    assert spec["lifecycle"] == answers["catalog_lifecycle"]
    assert spec.get("system", "") == answers["catalog_system"]
    url = answers["repository_url"]
    annotations = found["metadata"].get("annotations", {})
    ci = answers["ci"]
    if url and ci != "none":
        path = url.split("://", 1)[1].split("/", 1)[1]
        assert annotations == {f"{ci}.com/project-slug": path}
    else:
        assert annotations == {}
    links = {link["title"]: link["url"] for link in found["metadata"].get("links", [])}
    if url:
        assert links["Repository"] == url
        assert links["Plan (implementation.md)"].endswith("/HEAD/implementation.md")
        pipeline = CI_SERVICES[ci]["pipeline"]
        assert any(title.startswith("CI ") for title in links) == (pipeline is not None)
        assert all(link.startswith(url + "/") or link == url for link in links.values())
    else:
        assert links == {}


@pytest.mark.parametrize("variant", variant_params(*WITH_ENTRY))
def test_catalog_entry_passes_backstage_and_says_what_the_answers_say(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    check_entry(generated(variant), tmp_path)


@pytest.mark.xdist_group("company")
def test_company_default_catalog_entry_passes_backstage(
    company_project: Path, tmp_path: Path
) -> None:
    assert read_answers(company_project)["project_type"] == COMPANY_TYPE
    check_entry(company_project, tmp_path)
    found = entity(company_project)
    # The company's own git server, from copier/company.yml.
    assert found["metadata"]["links"][0]["url"].startswith("https://github.acme.example/")


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_no_catalog_entry_unless_asked(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    assert not (generated(variant) / CATALOG).exists()


@pytest.mark.parametrize("variant", variant_params("api"))
def test_backstage_rejects_a_broken_entry(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """The check above can fail: each way an entry can be broken is caught by Backstage."""
    good = entity(generated(variant))
    spec = good["spec"]
    broken = [
        {**good, "metadata": {**good["metadata"], "name": "invoice service"}},
        {**good, "spec": {key: value for key, value in spec.items() if key != "owner"}},
        {**good, "spec": {**spec, "lifecycle": ""}},
        {**good, "spec": {**spec, "system": "Invoicing Platform!"}},
        {**good, "spec": {**spec, "owner": "group:Payments Team"}},
        {**good, "metadata": {**good["metadata"], "tags": ["web_app"]}},
        {**good, "metadata": {**good["metadata"], "links": [{"url": "not a url"}]}},
        {**good, "owner": "group:payments"},  # a field outside metadata and spec
        {**good, "apiVersion": "backstage.io/v2"},
    ]
    problems = entity_problems([good, *broken], tmp_path)
    assert problems[0] == []
    for entry, found in zip(broken, problems[1:], strict=True):
        assert found, entry


# --- The validators agree with Backstage --------------------------------------------------

NAMES = [
    "invoicing",
    "Invoicing",
    "finance-platform",
    "a",
    "a.b_c-d",
    "a" * 63,
    "a" * 64,
    "",
    "-leading",
    "trailing.",
    "two  spaces",
    "with space",
    "ünïcode",
    "semi;colon",
    "slash/inside",
    "under_score_",
    "1numeric",
    "dots..double",
]


def test_system_and_owner_validators_refuse_exactly_what_backstage_rejects(
    tmp_path: Path,
) -> None:
    """catalog_system's and catalog_owner's validator (entity_ref_problem) against Backstage's
    own name and namespace rules, on names and on namespace/name references."""
    problem = jinja_macros("copier/governance.jinja").entity_ref_problem
    namespaces = ["default", "finance", "Finance", "fin--ance", "-x", "x" * 64]
    verdicts = name_verdicts(NAMES + namespaces, tmp_path)
    for name in NAMES:
        if "/" in name or not name:
            continue
        accepted = problem(name, ["system"], "invoicing") == ""
        assert accepted == verdicts[name][0], name
        owner_accepted = problem(f"group:{name}", ["group", "user"], "group:payments") == ""
        assert owner_accepted == verdicts[name][0], name
    for namespace in namespaces:
        accepted = problem(f"{namespace}/invoicing", ["system"], "invoicing") == ""
        assert accepted == verdicts[namespace][1], namespace
    assert problem("component:invoicing", ["system"], "invoicing") != ""
    assert problem("system:invoicing", ["system"], "invoicing") == ""


def random_owners(count: int) -> list[str]:
    """Owners answers as people type them: handles, teams, subgroups, e-mail addresses, odd
    but valid characters at the edges."""
    chooser = random.Random(13)  # noqa: S311 - test data, reproducible
    alphabet = "abcxyzABC019-_."

    def part() -> str:
        middle = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 70)))
        return chooser.choice("aZ9_") + middle + chooser.choice("aZ9_")

    owners = []
    for _ in range(count):
        kind = chooser.randrange(4)
        if kind == 0:
            owners.append(f"@{part()}")
        elif kind == 1:
            owners.append(f"@{part()}/{part()}")
        elif kind == 2:
            owners.append(f"@{part()}/{part()}/{part()}")
        else:
            owners.append(f"{part().replace('.', '+')}@acme.example")
    return owners


def test_derived_catalog_owner_is_always_one_backstage_accepts(tmp_path: Path) -> None:
    """Whatever owners the validator lets through, the catalog_owner default derived from
    them is a reference the validator and Backstage accept: `--defaults` always works."""
    macros = jinja_macros("copier/governance.jinja")
    derived = {}
    for owners in random_owners(300):
        if macros.owners_problem(owners, "gitlab") == "":
            ref = macros.derive_catalog_owner(owners, "my-project")
            assert macros.entity_ref_problem(ref, ["group", "user"], "group:payments") == "", ref
            derived[owners] = ref.split(":", 1)[1]
    assert len(derived) > 200
    verdicts = name_verdicts(sorted(set(derived.values())), tmp_path)
    assert all(verdict[0] for verdict in verdicts.values()), verdicts
