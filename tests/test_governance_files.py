"""The files that let a company govern a repository: CODEOWNERS, SECURITY.md, CONTRIBUTING.md,
the pull/merge request and issue templates, AGENTS.md and the files other coding assistants
read. Each is generated for the platforms it applies to, valid for the tool that reads it, and
says the same as the others where they overlap.

The catalog entry (catalog-info.yaml): tests/test_catalog_entry.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .helpers.codeowners import owners_of, syntax_problems
from .helpers.copier_runs import read_answers
from .helpers.facts import CI_SERVICES, GENERATED_FILES, QUESTIONS
from .helpers.linters import check_schema
from .helpers.variants import VARIANTS, Variant, variant_params

PROJECT_CHECKS: dict[str, list[dict[str, Any]]] = QUESTIONS["project_checks"]["default"]
GITHUB = [name for name, variant in VARIANTS.items() if variant.ci == "github"]
ASSISTANT_FILES = {
    "CLAUDE.md": "@AGENTS.md",
    "GEMINI.md": "@./AGENTS.md",
    ".github/copilot-instructions.md": None,
}
DOCUMENTS_WITH_CHECKS = ("README.md", "AGENTS.md", "CONTRIBUTING.md")
CHANGE_REQUEST_TEMPLATES = {
    "github": ".github/pull_request_template.md",
    "gitlab": ".gitlab/merge_request_templates/Default.md",
}


def owner_words(answer: str) -> list[str]:
    return answer.replace(",", " ").split()


def template_owned(variant: Variant) -> set[str]:
    """The files of the variant that the template owns (generated_files, copier/facts.yml)."""
    return {
        entry.rendered(variant.package)
        for entry in GENERATED_FILES
        if entry.owner == "template" and entry.wanted_for(variant.conditions)
    }


def code_blocks(markdown: str, language: str = "sh") -> list[list[str]]:
    """The lines of each fenced code block of `language`."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in markdown.splitlines():
        if current is None and line == f"```{language}":
            current = []
        elif current is not None and line == "```":
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def commands(block: list[str]) -> list[str]:
    """The commands of a shell block, without their comments."""
    return [line.split(" #", 1)[0].strip() for line in block if line.strip()]


# --- CODEOWNERS ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", variant_params())
def test_codeowners_is_valid_where_the_project_is_hosted(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """At the root, where GitHub and GitLab both read it: with no CI chosen, the project may
    live on either, so it must be valid on both."""
    text = (generated(variant) / "CODEOWNERS").read_text()
    platforms = [variant.ci] if variant.ci in {"github", "gitlab"} else ["github", "gitlab"]
    for platform in platforms:
        assert syntax_problems(text, platform) == [], platform


@pytest.mark.parametrize("variant", variant_params())
def test_codeowners_gives_every_file_to_the_owners_and_guards_every_template_file(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    text = (project / "CODEOWNERS").read_text()
    owners = owner_words(read_answers(project)["owners"])
    for path in ("src/anything.py", "implementation.md", "CODEOWNERS", "docs/new/page.md"):
        assert owners_of(text, path) == owners, path
    guarded = {
        line.split()[0].removeprefix("/") for line in text.splitlines() if line.startswith("/")
    }
    assert guarded == template_owned(variant)
    for path in guarded:
        assert owners_of(text, path) == owners, path


def test_codeowners_check_rejects_what_the_platforms_reject() -> None:
    """The syntax check above can fail: each broken line is reported, on the right platform."""
    broken = {
        "* @acme/payments @alice\n": {"github": 0, "gitlab": 0},
        "*.py\n": {"github": 1, "gitlab": 1},  # no owners
        "* acme\n": {"github": 1, "gitlab": 1},  # neither a handle nor an e-mail address
        "* @acme/finance/ledger\n": {"github": 1, "gitlab": 0},  # a GitLab subgroup
        "* @alice_smith\n": {"github": 1, "gitlab": 0},  # GitHub names have no underscore
        "* @@maintainer\n": {"github": 1, "gitlab": 0},  # a GitLab role
        "!/docs/ @alice\n": {"github": 1, "gitlab": 0},  # negation
        "/src/[ab].py @alice\n": {"github": 1, "gitlab": 1},  # a character range
        "[Docs][2] @alice\ndocs/ @bob\n": {"github": 1, "gitlab": 0},  # a GitLab section
        "* @alice \n": {"github": 1, "gitlab": 1},  # trailing whitespace
        "* @alice bob@example\n": {"github": 1, "gitlab": 1},  # not an e-mail address
        "path\\ with\\ space @alice # a comment\n": {"github": 0, "gitlab": 0},
    }
    for text, expected in broken.items():
        for platform, count in expected.items():
            assert len(syntax_problems(text, platform)) == count, (text, platform)


@pytest.mark.xdist_group("company")
def test_company_template_reviewers_guard_template_files_only(company_project: Path) -> None:
    """A company's template reviewers (copier/company.yml) review the template's files, and
    only those."""
    text = (company_project / "CODEOWNERS").read_text()
    assert syntax_problems(text, "github") == []
    assert owners_of(text, ".pre-commit-config.yaml")[-1] == "@acme/platform"
    assert "@acme/platform" not in owners_of(text, "src/anything.py")


# --- Policies and templates ---------------------------------------------------------------


@pytest.mark.parametrize("variant", variant_params())
def test_security_policy_says_where_to_report_and_who_answers(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    answers = read_answers(project)
    text = (project / "SECURITY.md").read_text()
    assert f"<{answers['security_contact']}>" in text
    assert "never in a public issue" in text
    for owner in owner_words(answers["owners"]):
        assert f"`{owner}`" in text
    assert "gitleaks" in text
    assert ("scans the whole git history" in text) == (variant.ci != "none")


@pytest.mark.parametrize("variant", variant_params())
def test_change_request_template_asks_whether_the_plan_was_updated(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    for ci, path in CHANGE_REQUEST_TEMPLATES.items():
        assert (project / path).is_file() == (variant.ci == ci), path
    if variant.ci in CHANGE_REQUEST_TEMPLATES:
        text = (project / CHANGE_REQUEST_TEMPLATES[variant.ci]).read_text()
        tasks = [line for line in text.splitlines() if line.startswith("- [ ] ")]
        assert any("implementation.md is updated" in task for task in tasks)
        assert any("`scripts/check` passes" in task for task in tasks)


@pytest.mark.parametrize("variant", variant_params(*GITHUB))
def test_github_issue_forms_pass_their_schema(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    forms = sorted((generated(variant) / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    assert [form.name for form in forms] == ["bug_report.yml", "feature_request.yml"]
    check_schema("vendor.github-issue-forms", *forms)
    for form in forms:
        assert "SECURITY.md" in form.read_text()


@pytest.mark.slow
def test_issue_form_schema_rejects_a_broken_form(tmp_path: Path) -> None:
    form = tmp_path / "bug_report.yml"
    form.write_text(
        "name: Bug\ndescription: A bug\nbody:\n  - type: textarea\n    id: what\n"
        "    attributes:\n      label: What\n    validations:\n      required: maybe\n"
    )
    assert check_schema("vendor.github-issue-forms", form, check=False).returncode == 1


@pytest.mark.parametrize("variant", variant_params("web_app"))
def test_gitlab_issue_templates_ask_what_the_github_forms_ask(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """One source for both platforms' questions: the GitLab templates have the same fields."""
    folder = generated(variant) / ".gitlab/issue_templates"
    assert sorted(path.name for path in folder.iterdir()) == ["Bug.md", "Feature.md"]
    bug = (folder / "Bug.md").read_text()
    for heading in ("## What happened", "## How to reproduce it", "## Version or commit"):
        assert heading in bug.splitlines() or f"{heading} (optional)" in bug.splitlines()
    assert "SECURITY.md" in bug
    assert "/label ~bug" in bug.splitlines()


# --- AGENTS.md and what other assistants read ---------------------------------------------


def checks_shown(markdown: str) -> list[str]:
    """The one shell block that lists the checks (it ends with scripts/check)."""
    (block,) = [
        block for block in code_blocks(markdown) if commands(block)[-1:] == ["scripts/check"]
    ]
    return block


def checks_run(script: str) -> list[str]:
    """The commands scripts/check runs, in order, as a person would type them: each
    `run <command>`, `uv_sync` (uv sync) and `run_pre_commit <arguments>` (pre-commit as the
    script finds it first)."""
    lines = [line.strip() for line in script.splitlines()]
    found = [line for line in lines if line.startswith("pre_commit=(")]
    pre_commit = found[0].removeprefix("pre_commit=(").removesuffix(")") if found else ""
    ran = []
    for line in lines:
        if line == "uv_sync":
            ran.append("uv sync")
        elif line.startswith("run_pre_commit "):
            ran.append(f"{pre_commit} {line.removeprefix('run_pre_commit ')}")
        elif line.startswith("run "):
            ran.append(line.removeprefix("run "))
    return [command.replace(" --show-diff-on-failure", "") for command in ran]


@pytest.mark.parametrize("variant", variant_params())
def test_readme_agents_md_and_contributing_list_the_checks_scripts_check_runs(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """The commands that must pass: one list (project_checks in copier/facts.yml), shown the
    same in README.md, AGENTS.md and CONTRIBUTING.md, and exactly what scripts/check runs, in
    its order."""
    project = generated(variant)
    expected = [
        check["run"]
        for check in PROJECT_CHECKS[variant.stack]
        if variant.app_kind not in check.get("not_for", [])
    ]
    shown = {name: checks_shown((project / name).read_text()) for name in DOCUMENTS_WITH_CHECKS}
    assert all(block == shown["README.md"] for block in shown.values()), shown
    assert commands(shown["README.md"]) == [*expected, "scripts/check"]
    assert checks_run((project / "scripts/check").read_text()) == expected


def test_the_checks_comparison_finds_a_missing_or_reordered_command() -> None:
    """The test above can fail: a check the script lacks, or runs in another order."""
    expected = [
        check["run"]
        for check in PROJECT_CHECKS["python"]
        if "library" not in check.get("not_for", [])
    ]
    full = "".join(f"run {command}\n" for command in expected)
    assert checks_run(full) == expected
    assert checks_run(full.replace("run uv run mypy\n", "")) != expected
    swapped = full.replace("run uv run mypy\n", "").replace(
        "run uv run pytest\n", "run uv run pytest\nrun uv run mypy\n"
    )
    assert checks_run(swapped) != expected


@pytest.mark.parametrize("variant", variant_params())
def test_assistant_files_point_to_agents_md_without_repeating_it(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    agents = (project / "AGENTS.md").read_text()
    agents_lines = {line for line in agents.splitlines() if len(line) > 20}
    for name, include in ASSISTANT_FILES.items():
        path = project / name
        if name.startswith(".github/") and variant.ci != "github":
            assert not path.exists()
            continue
        text = path.read_text()
        lines = text.splitlines()
        target = "../AGENTS.md" if name.startswith(".github/") else "AGENTS.md"
        assert f"[AGENTS.md]({target})" in text, name
        assert (project / Path(name).parent / target).resolve() == (project / "AGENTS.md")
        if include:
            assert include in lines, name
        assert len(lines) <= 8, f"{name} repeats instructions: keep them in AGENTS.md"
        assert not agents_lines & set(lines), name
        assert name in agents or Path(name).name in agents


@pytest.mark.parametrize("variant", variant_params())
def test_agents_md_gives_the_plan_first_rule_settings_secrets_and_what_never_to_commit(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    agents = (project / "AGENTS.md").read_text()
    headings = [line for line in agents.splitlines() if line.startswith("## ")]
    for heading in (
        "## The plan comes first",
        "## Commands that must pass",
        "## Settings and secrets",
        "## Never commit",
    ):
        assert heading in headings
    assert "Code only what it plans" in agents
    assert re.search(r"environment variables named `[A-Z][A-Z0-9_]*_\*`", agents)
    secrets = CI_SERVICES[variant.ci]["secrets"]
    assert (secrets in agents) if secrets else ("secret store" in agents)
    assert "`.env`" in agents


@pytest.mark.parametrize("variant", variant_params("defaults", "framework", "cli"))
def test_markdown_links_of_the_governance_files_lead_to_files_of_the_project(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    for name in ("AGENTS.md", "CONTRIBUTING.md", "SECURITY.md", *ASSISTANT_FILES):
        path = project / name
        if not path.exists():
            continue
        for target in re.findall(r"\]\(([^)]+)\)", path.read_text()):
            if "://" in target:
                continue
            file, _, anchor = target.partition("#")
            assert (path.parent / file).is_file(), (name, target)
            if anchor:
                slugs = {
                    re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
                    for line in (path.parent / file).read_text().splitlines()
                    if line.startswith("#")
                }
                assert anchor in slugs, (name, target)


# --- The plan ------------------------------------------------------------------------------


def plan_line(plan: str, label: str) -> str:
    (line,) = [line for line in plan.splitlines() if line.lstrip().startswith(label)]
    return line


@pytest.mark.parametrize("variant", variant_params())
def test_plan_names_the_owners_how_vulnerabilities_are_reported_and_the_review_rule(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """1.1 and phase 0 name the owners, 6.4 the reporting address and the secret scanning,
    8.3 the code-owner review, 11 the catalog entry when there is one."""
    project = generated(variant)
    answers = read_answers(project)
    plan = (project / "implementation.md").read_text()
    owners = ", ".join(f"`{owner}`" for owner in owner_words(answers["owners"]))
    assert (
        plan_line(plan, "- Owners:")
        == f"- Owners: {owners} (`CODEOWNERS`: they review every change)"
    )
    assert owners in plan_line(plan, "- [ ] Team members invited")
    assert "### 6.4 Vulnerability Reporting & Secret Scanning" in plan.splitlines()
    assert f"<{answers['security_contact']}>" in plan_line(plan, "- Vulnerability reporting:")
    scanning = plan_line(plan, "- Secret scanning:")
    assert "`.gitleaks.toml`" in scanning
    pipeline = CI_SERVICES[variant.ci]["pipeline"]
    assert (f"(`{pipeline}`)" in scanning) == (pipeline is not None)
    review = plan_line(plan, "- Code review:")
    assert owners in review
    template = CHANGE_REQUEST_TEMPLATES.get(variant.ci)
    if template:
        assert f"(`{template}`)" in review
    portal = [line for line in plan.splitlines() if line.startswith("- Developer portal:")]
    if variant.catalog_entry:
        assert len(portal) == 1
        assert f"`{answers['catalog_owner']}`" in portal[0]
    else:
        assert portal == []
