"""The generated implementation.md: the whole planning document, filled with what is known."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from starter_template.plan_check import EXIT_OK, MARKER, main, parse

from .helpers.copier_runs import read_answers
from .helpers.facts import SECTION_1_KEYS
from .helpers.generated_files import project_files
from .helpers.markdown import plan_bullet
from .helpers.variants import Variant, variant_params

DASH = "\u2013"  # the en dash of the planning document's phase headings

# The planning document's headings, in their repaired order (3.3 between 3.2 and 3.4; the
# stack's DevOps and Observability parts under 3.2), as Markdown lines.
HEADINGS = [
    "# PROJECT IMPLEMENTATION DOCUMENT",
    "## 1. Project Overview",
    "### 1.1 Project Name",
    "### 1.2 Problem Statement",
    "### 1.3 Goals & Objectives",
    "### 1.4 Target Users",
    "### 1.5 Success Criteria",
    "## 2. Requirements",
    "### 2.1 Functional Requirements",
    "#### Core Features",
    "#### User Stories",
    "#### Use Cases",
    "### 2.2 Non-Functional Requirements",
    "#### Performance",
    "#### Security",
    "#### Scalability",
    "#### Reliability & Business Continuity",
    "#### Usability",
    "## 3. Technical Architecture",
    "### 3.1 System Architecture",
    "### 3.2 Technology Stack",
    "#### Frontend",
    "#### Backend",
    "#### Database",
    "#### DevOps & Infrastructure",
    "#### Observability",
    "### 3.3 Folder Structure",
    "### 3.4 Third-Party Services",
    "### 3.5 Compliance & Privacy",
    "## 4. Data Design",
    "### 4.1 Domain Model",
    "#### Entities",
    "### 4.2 Database Schema",
    "### 4.3 API Contracts",
    "## 5. UI/UX Design (If Applicable)",
    "### 5.1 Screens",
    "### 5.2 Navigation Flow",
    "### 5.3 Design Rules",
    "## 6. Security Design",
    "### 6.1 Authentication",
    "### 6.2 Authorization",
    "### 6.3 Data Security",
    "## 7. Implementation Plan (PHASED)",
    f"### PHASE 0 {DASH} Prerequisites & Identity",
    f"### PHASE 1 {DASH} Project Setup",
    f"### PHASE 2 {DASH} Core Foundation",
    f"### PHASE 3 {DASH} Domain Layer",
    f"### PHASE 4 {DASH} Data Layer",
    f"### PHASE 5 {DASH} Service Layer",
    f"### PHASE 6 {DASH} Interface Layer",
    f"### PHASE 7 {DASH} Frontend (if any)",
    f"### PHASE 8 {DASH} Security",
    f"### PHASE 9 {DASH} Testing",
    "#### Unit Tests",
    "#### Integration Tests",
    "#### E2E Tests",
    f"### PHASE 10 {DASH} DevOps & Observability",
    f"### PHASE 11 {DASH} Documentation",
    f"### PHASE 12 {DASH} Release",
    "## 8. Coding Standards",
    "### 8.1 Principles",
    "### 8.2 Style Guide",
    "### 8.3 Git Rules",
    "## 9. Testing Strategy",
    "### 9.1 Test Pyramid",
    "### 9.2 Test Cases",
    "## 10. Deployment Plan",
    "## 11. Maintenance & Operations",
    "## 12. Future Improvements",
    "## 13. Checklist BEFORE CODING",
    "# HOW YOU SHOULD USE THIS (IMPORTANT)",
    "### WORKFLOW",
]

# Every list item of the planning document, by its label: each starts a `- ` item.
LABELS = [
    *("Name:", "Type:"),
    *("What problem is being solved?", "Who experiences this problem?"),
    "Why current solutions are not enough?",
    *("Primary goals:", "Secondary goals:", "Non-goals (what this project will NOT do):"),
    *("User personas:", "Technical level of users:", "Platforms:"),
    *("Functional success:", "Performance success:", "Business success:"),
    *("Feature 1:", "Description:", "Inputs:", "Outputs:", "Rules:", "Errors:", "Feature 2:"),
    *("UC-01:", "Actor:", "Flow:", "Exceptions:"),
    *("Response time:", "Throughput:", "Limits:"),
    *("Authentication:", "Authorization:", "Data protection:"),
    *("Expected users:", "Growth plan:"),
    *("Availability (SLA):", "RTO (Recovery Time Objective):", "RPO (Recovery Point Objective):"),
    *("Backup Strategy:", "Disaster Recovery Plan:"),
    *("Accessibility:", "UX rules:"),
    *("Architecture style:", "High level diagram:", "Components", "Data flow"),
    *("Language:", "Framework:", "Libraries:", "ORM:"),
    *("Type:", "Schema:", "Migration Tool:"),
    *("Hosting:", "Infrastructure as Code:", "CI/CD:", "Secrets Management:"),
    *("Logging:", "Error Tracking:", "Metrics & Tracing:"),
    *("External APIs:", "Auth Provider:", "Webhooks:"),
    *("Data Retention:", "PII Handling:", "Compliance:"),
    *("Entity:", "id:", "name:", "rules:"),
    *("Tables", "Relationships", "Indexes"),
    *("Request:", "Response:", "Errors:"),
    *("Screen 1", "Purpose:", "Components:", "Validations:", "User journey"),
    *("Colors:", "Typography:", "Accessibility:"),
    *("Method:", "Tokens:", "Expiry:", "Roles:", "Permissions:"),
    *("Encryption:", "Validation:", "Sanitization:"),
    "What to test:",
    *("SOLID", "DRY", "KISS", "Naming", "Structure", "Branching", "Commits"),
    *("Unit", "Integration", "E2E"),
    *("TC-01:", "Given:", "When:", "Then:"),
    *("Environments", "Steps", "Rollback"),
    *("Dashboard Links:", "Runbooks:", "Dependency Updates:", "Log Rotation:"),
    *("Ideas", "Tech debt"),
]

# Text of the planning document that is neither a heading nor a list item.
TEXTS = [
    "As a [user] I want to [action] so that [benefit]",
    "Monolith / Microservices / Serverless / MVC / Clean",
    "THIS IS THE MOST IMPORTANT SECTION",
    "👉 You will code EXACTLY in this order.",
    "DELIVERABLE:",
    "TEST:",
    f"👉 ONLY AFTER THIS {DASH} START CODING PHASE 1",
    *("1. Create project folder", "2. Create `implementation.md`", "3. FILL THIS FILE FIRST"),
    *("4. Then:", "👉 Open laptop", "👉 Open this file", "👉 Implement ONLY phase by phase"),
    "NEVER jump to code without updating:",
    *("* Requirements", "* Models", "* API", "* Tests"),
    *("1. **Identity & Branding**", "2. **Legal & Compliance**"),
    *("3. **Access Management**", "4. **Security Baseline**"),
]

# The steps of each phase, as checklist items in their order (Phase 9 has fields instead);
# `[x] ` marks what the template itself did, ticked. Every other step stays open.
PHASE_STEPS = {
    "0": [
        "Domain name secured",
        "Brand assets (Logo, Favicon, Brand Colors)",
        "Social media handles / NPM organization name reserved",
        "[x] License selected (MIT, Apache 2.0, Proprietary)",
        "Terms of Service & Privacy Policy drafts (if public-facing)",
        "Contributor License Agreement (CLA) (if open-source)",
        "Cloud provider account (AWS/GCP/Azure) created",
        "Third-party service accounts (Stripe, Twilio, OpenAI) active",
        "Team members invited to GitHub/GitLab and Slack/Discord",
        "Password Manager / Team Vault initialized (1Password/Bitwarden)",
        "Multi-Factor Authentication (MFA) enabled on all root accounts",
    ],
    "1": [
        "Create repository",
        "[x] Initialize project",
        "[x] Setup:",
        "[x] Linter & Formatter",
        "[x] .gitignore & .dockerignore (Ensure secrets are excluded)",
        "[x] Pre-commit hooks (Secret scanning with 'gitleaks' or 'talisman')",
        "[x] Environment variables template (`.env.example`)",
        "Running empty project",
    ],
    "2": [
        "Architecture skeleton",
        "Base modules",
        "[x] Config system",
        "[x] Error handling",
        "[x] App starts",
        "[x] Logger works",
    ],
    "3": ["Models", "Business rules", "Validations", "Unit tests for domain"],
    "4": ["Database", "Repositories", "Migrations", "CRUD tests"],
    "5": ["Business services", "Logic", "Integrations", "Service tests"],
    "6": ["API / UI", "Controllers", "Routes", "API tests"],
    "7": ["Layout", "Components", "State", "API integration"],
    "8": ["Auth", "Permissions", "Validation"],
    "9": [],
    "10": [
        "Infrastructure Provisioning (IaC)",
        "Docker & Containerization",
        "CI/CD Pipelines",
        "Error Tracking & Centralized Logging setup",
        "Alerting rules (What triggers a page/notification?)",
    ],
    "11": ["README", "API docs", "User guide"],
    "12": ["Versioning", "Changelog", "Deployment"],
}
BEFORE_CODING = [
    "**Phase 0 Complete:** Identity, Legal, and Access secured",
    "**Requirements:** Business and Functional goals finalized",
    "**Architecture:** Tech stack and System Design approved",
    "**Data:** Models defined and API contracts signed-off",
    "**Infrastructure:** CI/CD and Observability strategy ready",
    "**Security:** Secret management and .gitignore validated",
]
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
    endpoint = "#### Endpoint: POST /api/x"
    assert (endpoint in headings) == (variant.app_kind != "api")
    for label in LABELS:
        assert any(re.match(rf"^\s*- {re.escape(label)}", line) for line in lines), label
    for snippet in TEXTS:
        assert snippet in text, snippet


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_phases_are_checklists_ticked_only_where_the_template_did_the_work(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    text = plan_text(generated(variant))
    plan = parse(text)
    for phase, steps in PHASE_STEPS.items():
        items = checklist(part_lines(text, next(h for h in HEADINGS if f"PHASE {phase} " in h)))
        assert len(items) == len(steps), phase
        for (done, item), step in zip(items, steps, strict=True):
            assert item.startswith(step.removeprefix("[x] "))
            assert done == step.startswith("[x] "), step
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


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
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
    assert f"    PHASE 1 {DASH} Project Setup: 6 of 8 checklist items done" in report
    # Sections 1 and 2 are not filled in yet: requiring them fails, as a team's gate would.
    assert main(["--require", "1,2", str(path)]) != EXIT_OK
