"""The generated implementation.md: the whole planning document, filled with what is known."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from starter_template.plan_check import EXIT_FAILED, EXIT_OK, MARKER, main, parse

from .helpers import planning_document
from .helpers.copier_runs import read_answers
from .helpers.facts import CI_SERVICES, PLATFORM_LABELS, PROJECT_TYPES_DATA, SECTION_1_KEYS
from .helpers.generated_files import project_files
from .helpers.markdown import answer_lines, field_items, shown_inline
from .helpers.planning_document import SECTION_1_FIELD_COUNT, SECTION_1_LABELS
from .helpers.processes import run, tool_env
from .helpers.variants import PYTHON, VARIANTS, Variant, variant_params

DASH = "\u2013"  # the en dash of the planning document's phase headings

# What the planning document holds (docs/planning-document.txt, repaired: encoding fixed, 3.3
# and the stack's DevOps and Observability parts back under 3.2): the independent source.
DOCUMENT = planning_document.structure()
# Section 4.3 starts from each type's real contract instead of the document's example endpoint:
# its HTTP endpoint, its command line or its Python API (the heading, by kind of starting code).
EXAMPLE_ENDPOINT = "#### Endpoint: POST /api/x"
CONTRACTS = {
    "api": "#### Endpoint: GET /health",
    "cli": "#### Command: `{slug}`",
    "library": "#### Python API: `import {package}`",
}
KINDS_WITH_CONTRACTS = {"api", "web", "jobs"}  # web and jobs: tests of their own
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
# ... and those it did for one kind of starting code only.
TICKED_FOR = {"web": {"7": {"Layout"}}}
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
        "goals_primary": (
            "Match 95% of invoices automatically\nFlag the rest with a reason\n"
            "**Zero** manual re-typing\n    _TBD_ on purpose: an indented line"
        ),
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
def test_every_answer_line_shows_in_the_plan_as_typed(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    text = plan_text(generated(variant))
    lines = text.splitlines()
    assert f"- Name: {variant.answers['project_name']}" in lines
    assert "- Type: API (`api`)" in lines
    for key, label in SECTION_1_LABELS.items():
        if key == "platforms":
            continue
        shown = [shown_inline(line) for line in answer_lines(variant.answers[key])]
        assert field_items(text, label) == shown, key
    assert "- Platforms: Web browser, Server / cloud" in lines
    assert set(SECTION_1_LABELS) | {"project_name", "project_type"} == set(SECTION_1_KEYS)
    assert set(SECTION_1_LABELS.values()) <= set(DOCUMENT.labels)


@pytest.mark.parametrize("variant", REALISTIC_PARAMS)
def test_answers_cannot_add_headings_fields_or_checklist_items(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    plan = parse(plan_text(generated(variant)))
    assert plan.problems == []
    overview = plan.sections["1"]
    # The 12 answer fields, the name, the type, and the owners (1.1): no more, whatever the
    # answers hold.
    assert (overview.fields, len(overview.unfilled), overview.checklist) == (
        SECTION_1_FIELD_COUNT,
        0,
        0,
    )
    assert list(plan.subsections)[:5] == ["1.1", "1.2", "1.3", "1.4", "1.5"]


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_empty_answers_stay_visibly_unfilled(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    lines = plan_text(generated(variant)).splitlines()
    for key, label in SECTION_1_LABELS.items():
        if key == "platforms":  # its default: the project type's platforms, by their labels
            default = PROJECT_TYPES_DATA[variant.project_type]["platforms"]
            labels = ", ".join(PLATFORM_LABELS[platform] for platform in default)
            assert f"- {label} {labels}" in lines
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
    assert (EXAMPLE_ENDPOINT in headings) == (not variant.python)
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
            extra = TICKED_FOR.get(variant.app_kind, {}) if variant.python else {}
            assert done == (step in ticked.get(phase, set()) | extra.get(phase, set())), step
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
    assert ("FastAPI" in framework) == (variant.app_kind in {"api", "web"})
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


@pytest.mark.parametrize(
    "variant",
    [
        *variant_params(*(name for name in PYTHON if VARIANTS[name].app_kind in CONTRACTS)),
        *REALISTIC_PARAMS,
    ],
)
def test_contracts_start_from_the_real_endpoint_command_or_python_api(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """Section 4.3 describes the contract the generated code has, then leaves the next open."""
    project = generated(variant)
    answers = read_answers(project)
    contracts = part_lines(plan_text(project), "### 4.3 API Contracts")
    headings = [line for line in contracts if line.startswith("#### ")]
    real = CONTRACTS[variant.app_kind].format(
        slug=answers["project_slug"], package=answers["package_name"]
    )
    assert headings[0] == real
    assert MARKER in headings[1], "the next contract is left to fill in"
    described = part_lines("\n".join(contracts), real)
    assert [line.split(":")[0] for line in described if line] == [
        "- Request",
        "- Response",
        "- Errors",
    ]
    assert MARKER not in "\n".join(described)
    package = project / "src" / answers["package_name"]
    if variant.app_kind == "api":
        assert '"status": "ok"' in "\n".join(described)
        assert '@app.get("/health"' in (package / "api.py").read_text()
    elif variant.app_kind == "cli":
        assert f"`{answers['project_slug']} [-h] [--version] [-v]`" in described[1]
    else:
        assert '__all__ = ["__version__"]' in (package / "__init__.py").read_text()
        assert "class Error(Exception)" in (package / "errors.py").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("cli"))
def test_the_command_line_contract_in_the_plan_is_what_the_command_does(
    variant: Variant, synced: Callable[[Variant], Path]
) -> None:
    project = synced(variant)
    answers = read_answers(project)
    command, prefix = answers["project_slug"], answers["package_name"].upper()
    contract = "\n".join(part_lines(plan_text(project), f"#### Command: `{command}`"))
    usage = re.search(r"Request: `([^`]+)`", contract)
    assert usage is not None

    def call(*args: str, **env: str) -> tuple[int, str, str]:
        done = run(
            ["uv", "run", "--frozen", command, *args], project, check=False, env=tool_env(**env)
        )
        return done.returncode, done.stdout, done.stderr

    status, out, _ = call("--help")
    assert status == 0
    assert out.startswith(f"usage: {usage[1]}\n")
    for option in ("--version", "-v", "--verbose"):
        assert option in out
    status, out, _ = call("--version")
    assert (status, out) == (0, f"{command} 0.1.0\n")
    assert f"`{command} <version>`" in contract
    status, out, err = call()
    assert (status, out) == (0, f"{command} 0.1.0 is ready.\n")
    assert f"`{command} <version> is ready.` on standard output" in contract
    assert "exit status `0`" in contract
    status, out, err = call("--no-such-option")
    assert (status, out) == (2, "")
    assert err.startswith("usage:")
    status, out, err = call(**{f"{prefix}_LOG_LEVEL": "LOUD"})
    assert (status, out) == (2, "")
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert "exit status `2`" in contract


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_ui_design_of_a_type_without_a_frontend_says_none(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    text = plan_text(generated(variant))
    frontend = PROJECT_TYPES_DATA[variant.project_type]["frontend"]
    section = part_lines(text, "## 5. UI/UX Design (If Applicable)")
    fields = [line for line in section if line.lstrip().startswith("- ")]
    if variant.python and variant.app_kind == "web":
        return  # the web scaffold has its screens: test_a_web_app_plan_lists_its_first_screen
    assert len(fields) == 8
    if frontend:
        assert all(line.endswith(": none") or f": none ({frontend})" in line for line in fields)
        assert parse(text).sections["5"].unfilled == []
    else:
        assert all(line.endswith(f": {MARKER}") for line in fields)


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_dependency_updates_name_the_configured_bot_and_its_schedule(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    lines = part_lines(plan_text(project), "## 11. Maintenance & Operations")
    (field,) = [line for line in lines if line.startswith("- Dependency Updates:")]
    service = CI_SERVICES[read_answers(project)["ci"]]
    if service["bot"] is None:
        assert MARKER in field
        return
    assert field.startswith(f"- Dependency Updates: {service['bot']} (`{service['bot_config']}`)")
    config = (project / service["bot_config"]).read_text()
    if service["bot_config"].endswith(".json"):  # Renovate
        assert json.loads(config)["minimumReleaseAge"] == "7 days"
        assert "7 days old" in field
    else:  # Dependabot
        updates = yaml.safe_load(config)["updates"]
        assert {update["schedule"]["interval"] for update in updates} == {"weekly"}
        assert {update["cooldown"]["default-days"] for update in updates} == {7}
        ecosystems = {update["package-ecosystem"] for update in updates}
        assert ecosystems == {"pre-commit", "github-actions"} | (
            {"uv"} if variant.python else set()
        ) | ({"docker"} if variant.option("container") else set())
        assert ("the Dockerfile's base image" in field) == variant.option("container")
        assert ("Python dependencies" in field) == variant.python
        assert "weekly" in field
        assert "7 days old" in field
    assert MARKER not in field


@pytest.mark.parametrize(
    "variant", variant_params("api", "web_app", "automation", "defaults", "cli")
)
def test_api_contracts_start_from_what_was_generated(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    """An API's 4.3 starts from its health endpoint, a web app's from its pages, an
    automation's from its jobs; a cli's from its command and a library's from its Python API
    (test_contracts_start_from_the_real_endpoint_command_or_python_api)."""
    project = generated(variant)
    contracts = part_lines(plan_text(project), "### 4.3 API Contracts")
    endpoints = [line for line in contracts if line.startswith("#### Endpoint:")]
    package = project / "src" / variant.package
    if variant.app_kind == "api":
        assert endpoints[0] == "#### Endpoint: GET /health"
        assert '"status": "ok"' in "\n".join(contracts)
        assert '@app.get("/health"' in (package / "api.py").read_text()
    elif variant.app_kind == "web":
        web = (package / "web.py").read_text()
        for endpoint in endpoints[:-1]:
            method, path = endpoint.removeprefix("#### Endpoint: ").split()
            assert f'@app.{method.lower()}("{path}"' in web, endpoint
        assert [endpoint.split()[2:] for endpoint in endpoints[:3]] == [
            ["GET", "/"],
            ["POST", "/"],
            ["GET", "/health"],
        ]
        assert endpoints[-1].startswith(f"#### Endpoint: {MARKER}")
    elif variant.app_kind == "jobs":
        assert endpoints == []
        jobs = [line for line in contracts if line.startswith("#### Job:")]
        assert jobs == ["#### Job: daily-summary", f"#### Job: {MARKER} (the name of the next job)"]
        assert '@job("daily-summary")' in (package / "jobs.py").read_text()
    else:
        assert endpoints == []
        assert EXAMPLE_ENDPOINT not in contracts


@pytest.mark.parametrize("variant", variant_params("web_app", "api", "desktop"))
def test_a_web_app_plan_lists_its_first_screen(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    screens = part_lines(plan_text(project), "### 5.1 Screens")
    first = next(line for line in screens if line.startswith("- Screen 1:"))
    if variant.app_kind == "web":
        assert first.startswith("- Screen 1: Contact (`/`: ")
        template = first.split("`")[3]
        assert (project / template).is_file(), template
        assert not any(MARKER in line for line in screens[: screens.index(first) + 4])
    else:  # no scaffold of its own: still to decide, or none for a type without a frontend
        frontend = PROJECT_TYPES_DATA[variant.project_type]["frontend"]
        assert first == f"- Screen 1: none ({frontend})" if frontend else f"- Screen 1: {MARKER}"


@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_plan_check_passes_on_a_fresh_project_and_reports_unfilled_fields(
    variant: Variant,
    generated: Callable[[Variant], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = generated(variant) / "implementation.md"
    capsys.readouterr()  # what generating the project printed
    assert main([str(path)]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err == ""
    report = captured.out.splitlines()
    # Counted from the text, not by the parser: the marked fields and the checklist items of
    # the numbered sections (from section 1 to the next level-1 heading, code blocks aside).
    sections = part_lines(plan_text(generated(variant)), HEADINGS[0])
    first = next(index for index, line in enumerate(sections) if line.startswith("## 1. "))
    counted = [line for line in sections[first:] if re.match(r"^\s*- ", line)]
    unfilled = sum(MARKER in line for line in counted)
    items = [re.match(r"^\s*- \[([ x])\] ", line) for line in counted]
    done, checklist = sum(item[1] == "x" for item in items if item), sum(map(bool, items))
    fields = parse(path.read_text(encoding="utf-8")).fields
    assert unfilled > 50
    assert report[0] == (
        f"{path}: structure complete, {unfilled} of {fields} fields unfilled, "
        f"{done} of {checklist} checklist items done"
    )
    assert "  2. Requirements: 27 of 27 fields unfilled" in report
    done = len(TICKED["1"] if variant.python else TICKED_GENERIC["1"])
    assert f"    PHASE 1 {DASH} Project Setup: {done} of 8 checklist items done" in report
    # Sections 1 and 2 are not filled in yet: requiring them fails, as a team's gate would.
    assert main(["--require", "1,2", str(path)]) != EXIT_OK


PART_HEADING = re.compile(r"^(?:## (\d+)\. |### (\d+\.\d+) )")


@pytest.mark.parametrize("variant", [*variant_params("defaults", "api"), *REALISTIC_PARAMS])
def test_requiring_a_section_fails_once_per_marked_field_under_its_heading(
    variant: Variant,
    generated: Callable[[Variant], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """For every section and sub-section of the planning document, `--require` fails exactly
    when the lines under its heading hold the marker, once per such field: counted from the
    text itself, not by the parser under test."""
    path = generated(variant) / "implementation.md"
    text = plan_text(generated(variant))
    required = [
        (heading, match[1] or match[2])
        for heading in HEADINGS
        if (match := PART_HEADING.match(heading))
    ]
    assert len(required) == len(DOCUMENT.sections) + len(DOCUMENT.subsections)
    capsys.readouterr()  # what generating the project printed
    for heading, key in required:
        marked = [
            line for line in part_lines(text, heading) if re.match(rf"^\s*- .*{MARKER}", line)
        ]
        status = main(["--require", key, str(path)])
        errors = capsys.readouterr().err.splitlines()
        assert (status, len(errors)) == (EXIT_FAILED if marked else EXIT_OK, len(marked)), key
