"""The generated implementation.md: the whole planning document, filled with what is known."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from starter_template.plan_check import EXIT_OK, MARKER, main, parse

from .helpers import planning_document
from .helpers.copier_runs import read_answers
from .helpers.facts import PROJECT_TYPES_DATA, SECTION_1_KEYS
from .helpers.generated_files import project_files
from .helpers.markdown import plan_bullet
from .helpers.variants import PYTHON, Variant, variant_params

DASH = "\u2013"  # the en dash of the planning document's phase headings

# What the planning document holds (docs/planning-document.txt, repaired: encoding fixed, 3.3
# and the stack's DevOps and Observability parts back under 3.2): the independent source.
DOCUMENT = planning_document.structure()
# The API types' 4.3 starts from their real endpoint instead of the example one.
EXAMPLE_ENDPOINT = "#### Endpoint: POST /api/x"
HEADINGS = [heading for heading in DOCUMENT.headings if heading != EXAMPLE_ENDPOINT]
# Two list items of the document become hints of a field in the plan (each is the example of
# what to write there); every other item keeps its label.
HINTS = {
    "As a [user] I want to [action] so that [benefit]": "- User story: ",
    "Monolith / Microservices / Serverless / MVC / Clean": "- Architecture style: ",
}
LABELS = [label for label in DOCUMENT.labels if label not in HINTS]
TEXTS = [*DOCUMENT.texts, *HINTS]

# The steps the template itself did, ticked in the plan; every other step stays open. A generic
# project has no code, so neither its language's setup nor Phase 2 is done.
TICKED = {
    "0": {"License selected (MIT, Apache 2.0, Proprietary)"},
    "1": {
        "Initialize project",
        "Setup:",
        "Linter & Formatter",
        ".gitignore & .dockerignore (Ensure secrets are excluded)",
        "Pre-commit hooks (Secret scanning with 'gitleaks' or 'talisman')",
        "Environment variables template (`.env.example`)",
    },
    "2": {"Config system", "Error handling", "App starts", "Logger works"},
}
TICKED_GENERIC = {
    "0": TICKED["0"],
    "1": TICKED["1"] - {"Initialize project", "Setup:", "Linter & Formatter"},
}
BEFORE_CODING = DOCUMENT.before_coding


def ticked_steps(variant: Variant) -> dict[str, set[str]]:
    """The steps the template did for this variant: TICKED (TICKED_GENERIC for the generic
    stack), and Phases 10 to 12 as its options and release pipeline give (the README always;
    the release process for Python)."""
    if not variant.python:
        return {**TICKED_GENERIC, "11": {"README"}}
    publishes = PROJECT_TYPES_DATA[variant.project_type]["publishes"]
    licence = variant.answers.get("license", "MIT")
    to_index = (
        publishes
        and variant.ci != "none"
        and not (variant.ci == "github" and licence == "proprietary")
    )
    return {
        **TICKED,
        "10": {"Docker & Containerization"} if variant.option("container") else set(),
        "11": {"README", *(["API docs"] if variant.option("docs_site") else [])},
        "12": {"Versioning", "Changelog", *(["Deployment"] if to_index else [])},
    }


# The answer-bearing fields of section 1, by answer key.
SECTION_1_LABELS = {
    "problem_statement": "What problem is being solved?",
    "problem_audience": "Who experiences this problem?",
    "problem_gap": "Why current solutions are not enough?",
    "goals_primary": "Primary goals:",
    "goals_secondary": "Secondary goals:",
    "non_goals": "Non-goals (what this project will NOT do):",
    "user_personas": "User personas:",
    "user_technical_level": "Technical level of users:",
    "platforms": "Platforms:",
    "success_functional": "Functional success:",
    "success_performance": "Performance success:",
    "success_business": "Business success:",
}

# Realistic answers, as a team types them: several lines, a blank line, trailing spaces, and
# lines that look like Markdown structure.
REALISTIC = Variant(
    "realistic",
    {
        "project_name": "Invoice Reconciliation Service",
        "project_type": "api",
        "problem_statement": (
            "Finance reconciles supplier invoices against bank statements by hand.\n"
            "Month-end close takes three days, and errors slip through.   \n"
        ),
        "problem_audience": "Accounts-payable clerks\n\nThe finance controller at month end",
        "problem_gap": (
            "The ERP matches exact amounts only.\n"
            "Spreadsheets break on partial payments: fees, FX, credit notes.\n"
        ),
        "goals_primary": "Match 95% of invoices automatically\nFlag the rest with a reason",
        "goals_secondary": "# Export an audit trail as CSV\n- [ ] Daily digest e-mail",
        "non_goals": "No payment execution\nNo replacement of the ERP\nSteps:",
        "user_personas": (
            "Clerk who reconciles invoices daily\nController who signs off the month"
        ),
        "user_technical_level": "non-technical",
        "platforms": ["web", "server"],
        "success_functional": "Every invoice ends matched or flagged, with the reason",
        "success_performance": (
            "p95 latency under 200 ms at 50 requests/s\n"
            "A month of statements reconciled in under 10 minutes"
        ),
        "success_business": "Month-end close takes one day instead of three",
        "license": "proprietary",
        "ci": "gitlab",
        "python_min": "3.12",
    },
)
REALISTIC_PARAMS = [
    pytest.param(REALISTIC, id="realistic", marks=pytest.mark.xdist_group("realistic"))
]
BROKEN_ENCODING = ("â€", "ðŸ", "â”", "Ã", "\ufffd")


def plan_text(project: Path) -> str:
    return (project / "implementation.md").read_text(encoding="utf-8")


def answer_lines(value: object) -> list[str]:
    """What the template promises to keep of an answer: its non-blank lines, right-stripped."""
    if isinstance(value, str):
        lines = value.splitlines()
    else:
        assert isinstance(value, list)
        lines = [str(item) for item in value]
    return [line.rstrip() for line in lines if line.strip()]


def part_lines(text: str, heading: str) -> list[str]:
    """The lines under `heading` up to the next heading of the same or a higher level."""
    lines = text.splitlines()
    start = lines.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    end = next(
        (
            index
            for index in range(start + 1, len(lines))
            if re.match(rf"^#{{1,{level}}} ", lines[index])
        ),
        len(lines),
    )
    return lines[start + 1 : end]


def checklist(lines: list[str]) -> list[tuple[bool, str]]:
    """(done, text) of every checklist item in `lines`."""
    items = []
    for line in lines:
        if match := re.match(r"^\s*- \[([ x])\] (.*)$", line):
            items.append((match[1] == "x", match[2]))
    return items


def tree_paths(text: str) -> set[str]:
    """The files drawn in section 3.3, as paths relative to the project."""
    block = part_lines(text, "### 3.3 Folder Structure")
    fence = [index for index, line in enumerate(block) if line.startswith("```")]
    drawing = block[fence[0] + 1 : fence[1]]
    stack: list[str] = []
    files = set()
    for line in drawing[1:]:  # the first line is the project folder itself
        match = re.match(r"^((?:│   |    )*)(?:├── |└── )(.+)$", line)
        assert match, f"not a tree line: {line!r}"
        depth = len(match[1]) // 4
        name = match[2]
        del stack[depth:]
        if name.endswith("/"):
            stack.append(name.rstrip("/"))
        else:
            files.add("/".join([*stack, name]))
    return files


@pytest.mark.parametrize("variant", REALISTIC_PARAMS)
def test_every_answer_line_is_in_the_plan_verbatim(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    lines = plan_text(generated(variant)).splitlines()
    assert f"- Name: {variant.answers['project_name']}" in lines
    assert "- Type: API (`api`)" in lines
    for key, label in SECTION_1_LABELS.items():
        expected = answer_lines(variant.answers[key])
        start = lines.index(f"- {label}")
        shown = [f"  * {plan_bullet(line)}" for line in expected]
        assert lines[start + 1 : start + 1 + len(expected)] == shown
        assert not lines[start + 1 + len(expected)].startswith("  * "), key
    assert set(SECTION_1_LABELS) | {"project_name", "project_type"} == set(SECTION_1_KEYS)


@pytest.mark.parametrize("variant", REALISTIC_PARAMS)
def test_answers_cannot_add_headings_fields_or_checklist_items(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    plan = parse(plan_text(generated(variant)))
    assert plan.problems == []
    overview = plan.sections["1"]
    assert (overview.fields, len(overview.unfilled), overview.checklist) == (14, 0, 0)
    assert list(plan.subsections)[:5] == ["1.1", "1.2", "1.3", "1.4", "1.5"]


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_empty_answers_stay_visibly_unfilled(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    lines = plan_text(generated(variant)).splitlines()
    for key, label in SECTION_1_LABELS.items():
        if key == "platforms":  # its default is the desktop platforms
            assert lines[lines.index(f"- {label}") + 1 : lines.index(f"- {label}") + 4] == [
                "  * linux",
                "  * macos",
                "  * windows",
            ]
        else:
            assert f"- {label} {MARKER}" in lines, key
    plan = parse("\n".join(lines))
    assert [field.label for field in plan.sections["1"].unfilled] == [
        label for key, label in SECTION_1_LABELS.items() if key != "platforms"
    ]


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_plan_has_every_heading_label_and_text_of_the_planning_document(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    text = plan_text(generated(variant))
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert [heading for heading in headings if heading in HEADINGS] == HEADINGS
    assert (EXAMPLE_ENDPOINT in headings) == (not variant.python or variant.app_kind != "api")
    for label in LABELS:
        assert any(re.match(rf"^\s*- {re.escape(label)}", line) for line in lines), label
    for snippet in TEXTS:
        assert snippet in text, snippet
    for hint, field in HINTS.items():
        assert any(line.startswith(field) and hint in line for line in lines), hint


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_phases_are_checklists_ticked_only_where_the_template_did_the_work(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    text = plan_text(generated(variant))
    plan = parse(text)
    ticked = ticked_steps(variant)
    for phase, steps in DOCUMENT.phase_steps.items():
        items = checklist(part_lines(text, next(h for h in HEADINGS if f"PHASE {phase} " in h)))
        assert len(items) == len(steps), phase
        for (done, item), step in zip(items, steps, strict=True):
            assert item.startswith(step)
            assert done == (step in ticked.get(phase, set())), step
        assert plan.phases[phase].checklist == len(steps)
    before_coding = checklist(part_lines(text, "## 13. Checklist BEFORE CODING"))
    assert before_coding == [(False, item) for item in BEFORE_CODING]


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_plan_has_no_broken_encoding_trailing_space_or_extra_final_newline(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    raw = (generated(variant) / "implementation.md").read_bytes()
    text = raw.decode("utf-8")
    for broken in BROKEN_ENCODING:
        assert broken not in text
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert "\r" not in text
    assert "{{" not in text
    assert "{%" not in text


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_folder_structure_is_the_generated_tree(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    text = plan_text(project)
    drawing = part_lines(text, "### 3.3 Folder Structure")
    assert f"{read_answers(project)['project_slug']}/" in drawing
    assert tree_paths(text) == project_files(project)


@pytest.mark.parametrize("variant", [*variant_params(*PYTHON), *REALISTIC_PARAMS])
def test_plan_records_the_stack_tools_ci_and_licence_that_were_generated(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    answers = read_answers(generated(variant))
    lines = plan_text(generated(variant)).splitlines()
    stack = part_lines("\n".join(lines), "### 3.2 Technology Stack")

    def value(label: str, within: list[str] = stack) -> str:
        return next(line for line in within if line.startswith(f"- {label} "))

    assert value("Language:", part_lines("\n".join(stack), "#### Backend")).startswith(
        f"- Language: Python {answers['python_min']} or newer"
    )
    framework = value("Framework:", part_lines("\n".join(stack), "#### Backend"))
    assert ("FastAPI" in framework) == (variant.app_kind == "api")
    for label, tool in {
        "Package manager:": "uv",
        "Build backend:": "uv_build",
        "Test runner:": "pytest",
        "Linter & formatter:": "ruff",
        "Type checker:": "mypy",
    }.items():
        assert tool in value(label)
    ci = {"github": "GitHub Actions", "gitlab": "GitLab CI", "none": MARKER}[answers["ci"]]
    assert ci in value("CI/CD:")
    assert "`.env`" in value("Secrets Management:")
    assert (MARKER in value("Secrets Management:")) == (answers["ci"] == "none")
    assert f"src/{answers['package_name']}/log.py" in value("Logging:")
    compliance = part_lines("\n".join(lines), "### 3.5 Compliance & Privacy")
    assert value("License:", compliance).startswith(f"- License: {answers['license']}")
    phase_0 = part_lines("\n".join(lines), f"### PHASE 0 {DASH} Prerequisites & Identity")
    assert any(
        line.strip().startswith("- [x] License selected") and answers["license"] in line
        for line in phase_0
    )


@pytest.mark.parametrize("variant", variant_params("api", "web_app", "defaults", "cli"))
def test_api_contracts_start_from_the_real_health_endpoint(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    contracts = part_lines(plan_text(generated(variant)), "### 4.3 API Contracts")
    endpoints = [line for line in contracts if line.startswith("#### Endpoint:")]
    if variant.app_kind == "api":
        assert endpoints[0] == "#### Endpoint: GET /health"
        assert '"status": "ok"' in "\n".join(contracts)
        api = (generated(variant) / "src" / "my_project" / "api.py").read_text()
        assert '@app.get("/health"' in api
    else:
        assert endpoints == ["#### Endpoint: POST /api/x"]


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_plan_check_passes_on_a_fresh_project_and_reports_unfilled_fields(
    variant: Variant,
    generated: Callable[[Variant], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = generated(variant) / "implementation.md"
    assert main([str(path)]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err == ""
    report = captured.out.splitlines()
    plan = parse(path.read_text(encoding="utf-8"))
    assert plan.unfilled > 50
    assert report[0] == (
        f"{path}: structure complete, {plan.unfilled} of {plan.fields} fields unfilled, "
        f"{plan.done} of {plan.checklist} checklist items done"
    )
    assert "  2. Requirements: 27 of 27 fields unfilled" in report
    done = len(TICKED["1"] if variant.python else TICKED_GENERIC["1"])
    assert f"    PHASE 1 {DASH} Project Setup: {done} of 8 checklist items done" in report
    # Sections 1 and 2 are not filled in yet: requiring them fails, as a team's gate would.
    assert main(["--require", "1,2", str(path)]) != EXIT_OK
