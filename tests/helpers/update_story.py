"""A realistic life of a generated project: template releases v1 → v2 → v3, and a team's edits.

The template side is a temporary git copy of this working tree, tagged as successive releases
with the kind of changes a platform team ships. The project side is generated from v1 (in this
process: the updates are what the story watches), edited the way a product team works, then
updated hop by hop with the `copier` CLI (never --trust). Everything observed on the way is
recorded in a `Story` so that many tests can check their promise against one expensive run.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .copier_runs import read_answers, render_in_process
from .facts import manifest_path, owner_of
from .generated_files import project_files
from .hook_mirrors import point_config_at_mirrors
from .processes import COPIER, run, tool_env
from .template_repo import make_template_release

GITHUB_CI = "template/{% if ci == 'github' %}.github{% endif %}/workflows/ci.yml.jinja"
GITLAB_CI = "template/{% if ci == 'gitlab' %}.gitlab-ci.yml{% endif %}.jinja"


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a file; `old` must occur exactly once (a moved anchor fails)."""
    text = path.read_text()
    count = text.count(old)
    if count != 1:
        raise AssertionError(f"{path}: expected one {old!r}, found {count}")
    path.write_text(text.replace(old, new))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def commit_all(repo: Path, message: str) -> None:
    run(["git", "add", "--all"], repo)
    run(["git", "commit", "--quiet", "--no-verify", "-m", message], repo)


# --- Template releases ------------------------------------------------------------------------

# What v2 and v3 bring; the tests look for these in the updated projects.
V2_CI_JOB_NAME = "Build the distribution"
V2_GITIGNORE_LINES = ("# Local tool state (added in v2)", ".direnv/")
V2_README_REQUIREMENTS = "Requirements: git and uv 0.9 or newer (`pip install uv`)."
# The README line v2 changes and the team edits too, per stack (their one conflict).
README_REQUIREMENTS = {
    "python": "Requirements: git and [uv](https://docs.astral.sh/uv/) (`pip install uv`).",
    "generic": (
        "Requirements: git, and [pre-commit](https://pre-commit.com/) or uv or pipx to install it."
    ),
}
V2_PLAN_SECTION = "## 14. Operational Readiness (added in v2)"
V2_SEEDED_LINE = "A line v2 adds to a seeded file: it must never reach existing projects."
V3_EDITORCONFIG_COMMENT = "# Editor settings shared by everyone (v3: see https://editorconfig.org)."
NEW_QUESTION = "support_channel"
V2_CODEOWNERS_COMMENT = "# Everything in the repository, unless a later line says otherwise (v2)."
V2_CONTRIBUTING_LINE = "Thank you for helping: every contribution is reviewed within a week (v2)."


def seeded_template_files(template: Path) -> dict[str, Path]:
    """Every file under the release's template/ that `generated_files` calls seeded, by its
    manifest path (`src/{package}/errors.py`): all project types' seeded files."""
    files = {}
    for path in sorted((template / "template").rglob("*")):
        if path.is_file():
            listed = manifest_path(path.relative_to(template).as_posix())
            if owner_of(listed) == "seeded":
                files[listed] = path
    return files


def release_v2(template: Path) -> None:
    """A new CI job, a new plan section, a changed .gitignore, a new file behind a new question,
    and a line added at the end of every seeded file (none may reach an existing project)."""
    replace_once(
        template / GITHUB_CI,
        "\njobs:\n",
        "\njobs:\n"
        "  build:\n"
        f"    name: {V2_CI_JOB_NAME}\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v5\n"
        "      - uses: astral-sh/setup-uv@v7\n"
        "      - run: uv build\n\n",
    )
    append(
        template / GITLAB_CI,
        f"\n# {V2_CI_JOB_NAME}\nbuild:\n  script:\n    - uv build\n",
    )
    append(template / "template/.gitignore.jinja", "\n" + "\n".join(V2_GITIGNORE_LINES) + "\n")
    # README.md (and CONTRIBUTING.md) take the line from the macros they share.
    for requirements in README_REQUIREMENTS.values():
        replace_once(template / "copier/project_docs.jinja", requirements, V2_README_REQUIREMENTS)
    append(
        template / "template/implementation.md.jinja",
        f"\n{V2_PLAN_SECTION}\n\n- On-call rota:\n- Runbook location:\n",
    )
    append(
        template / "copier/technical.yml",
        f"\n{NEW_QUESTION}:\n"
        "  type: str\n"
        "  help: Where people ask for help (an e-mail address or a chat channel).\n"
        '  default: "{{ author_email }}"\n',
    )
    (template / "template/SUPPORT.md.jinja").write_text(
        "# Support\n\nAsk for help at {{ support_channel }}.\n"
    )
    replace_once(
        template / "copier/facts.yml",
        "    - {path: SECURITY.md, owner: template}\n",
        "    - {path: SECURITY.md, owner: template}\n    - {path: SUPPORT.md, owner: template}\n",
    )
    replace_once(
        template / "template/CODEOWNERS.jinja",
        "# Everything in the repository.",
        V2_CODEOWNERS_COMMENT,
    )
    replace_once(
        template / "template/CONTRIBUTING.md.jinja", "Thank you for helping.", V2_CONTRIBUTING_LINE
    )
    for seeded in seeded_template_files(template).values():
        append(seeded, f"\n{V2_SEEDED_LINE}\n")
    commit_all(template, "Release v2")
    run(["git", "tag", "v2.0.0"], template)


def release_v3(template: Path) -> None:
    """A removed file and a changed template-owned file."""
    (template / "template/.dockerignore.jinja").unlink()
    replace_once(
        template / "template/.editorconfig",
        "# Editor settings shared by everyone on the project. Owned by the starter template.",
        V3_EDITORCONFIG_COMMENT,
    )
    commit_all(template, "Release v3")
    run(["git", "tag", "v3.0.0"], template)


# --- The team's edits -------------------------------------------------------------------------

TEAM_README_REQUIREMENTS = "Requirements: git, uv and access to the company package index."
TEAM_README_SECTION = "## Team notes\n\nDeploys happen on Tuesdays; ask #payments-oncall first.\n"
TEAM_GITIGNORE_LINES = ("# Team: local data exports", "data/exports/")
TEAM_EDITORCONFIG = "\n[*.sql]\nindent_size = 2\n"
TEAM_DEPENDENCY = '"attrs>=23.1",'
TEAM_PLAN_LINE = "- Name: Ledger reconciliation for the finance team"
DELETED_SEEDED_FILE = "docs/adr/template.md"
TEAM_CODEOWNERS = "/docs/ @acme/tech-writers"
TEAM_CONTRIBUTING = (
    "## Release train\n\nWe release every second Tuesday; ask in #payments-releases.\n"
)
TEAM_JOB = '@job("ledger-balance")'
# A generic project's team writes Go, tests it with a script, and runs it from scripts/check.
TEAM_CHECK_LINE = "run tests/ledger_test.sh"


def team_edits(project: Path, package: str | None) -> dict[str, list[str]]:
    """Edit the project as a team would; return, per file, the lines the team wrote.

    `package` is the Python package's name; None for a generic project.
    """
    stack = "python" if package else "generic"
    replace_once(project / "README.md", README_REQUIREMENTS[stack], TEAM_README_REQUIREMENTS)
    append(project / "README.md", "\n" + TEAM_README_SECTION)
    gitignore = project / ".gitignore"
    gitignore.write_text("\n".join(TEAM_GITIGNORE_LINES) + "\n\n" + gitignore.read_text())
    append(project / ".editorconfig", TEAM_EDITORCONFIG)
    plan = project / "implementation.md"
    first_name_field = next(
        line for line in plan.read_text().splitlines() if line.startswith("- Name:")
    )
    replace_once(plan, first_name_field + "\n", TEAM_PLAN_LINE + "\n")
    (project / DELETED_SEEDED_FILE).unlink()
    common: dict[str, list[str]] = {}
    if (project / "CODEOWNERS").exists():  # since the release that added them
        codeowners = ["# Team: the docs have their own reviewers.", TEAM_CODEOWNERS]
        append(project / "CODEOWNERS", "\n" + "\n".join(codeowners) + "\n")
        append(project / "CONTRIBUTING.md", "\n" + TEAM_CONTRIBUTING)
        common = {
            "CODEOWNERS": codeowners,
            "CONTRIBUTING.md": TEAM_CONTRIBUTING.strip().splitlines(),
        }
    common |= {
        "README.md": [TEAM_README_REQUIREMENTS, *TEAM_README_SECTION.strip().splitlines()],
        ".gitignore": list(TEAM_GITIGNORE_LINES),
        ".editorconfig": TEAM_EDITORCONFIG.strip().splitlines(),
        "implementation.md": [TEAM_PLAN_LINE],
    }
    if package is None:
        return common | generic_team_edits(project)
    return common | python_team_edits(project, package)


def generic_team_edits(project: Path) -> dict[str, list[str]]:
    """Code in the language the team chose, a test, and the test added to scripts/check."""
    (project / "src/ledger.go").write_text(
        "// Package ledger books amounts in cents.\n"
        "package ledger\n\n"
        "// Balance is the sum of all entries.\n"
        "func Balance(entries []int) int {\n"
        "\ttotal := 0\n"
        "\tfor _, cents := range entries {\n"
        "\t\ttotal += cents\n"
        "\t}\n"
        "\treturn total\n"
        "}\n"
    )
    test = project / "tests/ledger_test.sh"
    test.write_text(
        "#!/usr/bin/env bash\n"
        "# The ledger exposes its balance.\n"
        "set -euo pipefail\n"
        'grep -q "^func Balance" src/ledger.go\n'
    )
    test.chmod(0o755)
    replace_once(
        project / "scripts/check",
        '\necho "==> all checks passed"\n',
        f'\n{TEAM_CHECK_LINE}\necho "==> all checks passed"\n',
    )
    return {
        "src/ledger.go": ["func Balance(entries []int) int {"],
        "tests/ledger_test.sh": ['grep -q "^func Balance" src/ledger.go'],
        "scripts/check": [TEAM_CHECK_LINE],
    }


def python_team_edits(project: Path, package: str) -> dict[str, list[str]]:
    """A dependency, a module of the domain layer and its test."""
    replace_once(
        project / "pyproject.toml",
        "dependencies = [\n",
        f"dependencies = [\n    {TEAM_DEPENDENCY}\n",
    )
    (project / f"src/{package}/ledger.py").write_text(
        '"""Ledger entries: the first piece of the domain layer."""\n\n'
        "from dataclasses import dataclass\n\n\n"
        "@dataclass(frozen=True)\n"
        "class Entry:\n"
        '    """One booked amount, in cents."""\n\n'
        "    account: str\n"
        "    cents: int\n\n\n"
        "def balance(entries: list[Entry]) -> int:\n"
        '    """The sum of all entries."""\n'
        "    return sum(entry.cents for entry in entries)\n"
    )
    (project / "tests/test_ledger.py").write_text(
        f'"""The ledger sums its entries."""\n\nfrom {package}.ledger import Entry, balance\n\n\n'
        "def test_balance_sums_entries() -> None:\n"
        '    assert balance([Entry("cash", 150), Entry("cash", -50)]) == 100\n'
    )
    written: dict[str, list[str]] = {}
    jobs = project / f"src/{package}/jobs.py"
    if jobs.exists():  # An automation: the team adds a job of its own next to the example.
        append(
            jobs,
            f"\n\n{TEAM_JOB}\n"
            "def ledger_balance(context: JobContext) -> None:\n"
            '    """Log the ledger\'s balance."""\n'
            f"    from {package}.ledger import balance\n\n"
            '    context.log.info("balance: %d", balance([]))\n',
        )
        written[f"src/{package}/jobs.py"] = [TEAM_JOB]
    return written | {
        "pyproject.toml": [f"    {TEAM_DEPENDENCY}"],
        f"src/{package}/ledger.py": ["def balance(entries: list[Entry]) -> int:"],
        "tests/test_ledger.py": ["def test_balance_sums_entries() -> None:"],
    }


# --- Running the story ------------------------------------------------------------------------

CHECKS = {
    "uv sync": ["uv", "sync"],
    "ruff check": ["uv", "run", "--frozen", "ruff", "check", "--no-cache", "."],
    "ruff format": ["uv", "run", "--frozen", "ruff", "format", "--no-cache", "--check", "."],
    "mypy": ["uv", "run", "--frozen", "mypy"],
    "pytest": ["uv", "run", "--frozen", "pytest", "-p", "no:cacheprovider"],
}
# The answers the team changes in its update to v3 (they were github and MIT).
NEW_ANSWERS = {"ci": "gitlab", "license": "Apache-2.0"}
CONFLICT_MARKERS = ("<<<<<<< before updating", "=======", ">>>>>>> after updating")


@dataclass
class Hop:
    """What one `copier update` did."""

    name: str
    output: str
    rejects: list[str]
    conflicted: list[str]
    files: dict[str, str]
    changed: list[str]
    # What the project's checks printed, by failing check ({} all passed); None: not run.
    check_failures: dict[str, str] | None = None


@dataclass
class Story:
    project: Path
    package: str | None  # None: a generic project
    team_lines: dict[str, list[str]]
    before_updates: dict[str, str]
    hooks: HookSetting
    hops: dict[str, Hop] = field(default_factory=dict)


@dataclass(frozen=True)
class HookSetting:
    """Where a generic project's checks (its pre-commit hooks) find offline hook mirrors, and
    the pre-commit home they share with the session."""

    mirrors: Path
    pre_commit_home: Path


def snapshot(project: Path) -> dict[str, str]:
    return {name: (project / name).read_text(errors="replace") for name in project_files(project)}


def resolve_keeping_both_sides(path: Path) -> None:
    """Resolve inline conflicts as this team decides to: keep its lines and the template's."""
    kept = [
        line
        for line in path.read_text().splitlines(keepends=True)
        if line.rstrip("\n") not in CONFLICT_MARKERS
    ]
    path.write_text("".join(kept))


def run_checks(story: Story) -> dict[str, str]:
    """The project's own checks: a Python project's tools, or a generic project's scripts/check."""
    if story.package is None:
        return run_generic_checks(story)
    failures = {}
    for name, command in CHECKS.items():
        completed = run(command, story.project, check=False)
        if completed.returncode != 0:
            failures[name] = completed.stdout[-3000:] + completed.stderr[-3000:]
    return failures


def run_generic_checks(story: Story) -> dict[str, str]:
    """scripts/check, as the team runs it after resolving: everything staged, the hooks
    pointed at offline mirrors for the run only (the configuration is put back as it was)."""
    project = story.project
    config = project / ".pre-commit-config.yaml"
    run(["git", "add", "--all"], project)
    original = config.read_text()
    point_config_at_mirrors(project, story.hooks.mirrors)
    try:
        env = tool_env(PRE_COMMIT_HOME=str(story.hooks.pre_commit_home))
        completed = run(["scripts/check"], project, env=env, check=False)
    finally:
        config.write_text(original)
    if completed.returncode != 0:
        return {"scripts/check": completed.stdout[-3000:] + completed.stderr[-3000:]}
    return {}


def update(story: Story, name: str, *args: str, checks: bool = True) -> Hop:
    """`copier update` through the CLI; record what happened; resolve and commit the result."""
    project = story.project
    completed = run([COPIER, "update", "--defaults", *args], project, check=False)
    if completed.returncode != 0:
        raise AssertionError(
            f"copier update {name} failed:\n{completed.stdout}\n{completed.stderr}"
        )
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], project).stdout
    conflicted = run(["git", "diff", "--name-only", "--diff-filter=U"], project).stdout.split()
    hop = Hop(
        name=name,
        output=completed.stdout + completed.stderr,
        rejects=[name for name in project_files(project) if name.endswith(".rej")],
        conflicted=conflicted,
        files=snapshot(project),
        changed=[line[3:] for line in status.splitlines()],
    )
    for path in conflicted:
        resolve_keeping_both_sides(project / path)
    if checks:
        hop.check_failures = run_checks(story)
    if hop.changed:
        commit_all(project, f"Update from the template: {name}")
    story.hops[name] = hop
    return hop


def make_releases(root: Path) -> Path:
    """v1.0.0 is this working tree; v2.0.0 and v3.0.0 follow in the same repository."""
    template = make_template_release(root / "template", "v1.0.0")
    release_v2(template)
    release_v3(template)
    return template


def tell(template: Path, root: Path, answers: dict[str, str], hooks: HookSetting) -> Story:
    """Generate at v1, commit, let the team work, then update v1 → v2 → v3 (changing two
    answers on the way) and once more at v3."""
    project = root / "project"
    render_in_process(template, project, answers, vcs_ref="v1.0.0")
    package = read_answers(project).get("package_name")
    run(["git", "init", "--quiet", "--initial-branch=main"], project)
    commit_all(project, "Generated from the template v1.0.0")
    team_lines = team_edits(project, package)
    commit_all(project, "Team work")
    story = Story(
        project=project,
        package=package,
        team_lines=team_lines,
        before_updates=snapshot(project),
        hooks=hooks,
    )
    update(story, "v2", "--vcs-ref", "v2.0.0", checks=False)
    # The newest release, with two answers changed in the same update (the CI service and the
    # licence); the project's checks run once it is in (v3 changes no code or tool setting, so
    # what they check is what v2 brought).
    update(
        story,
        "v3",
        "--vcs-ref",
        "v3.0.0",
        "--data",
        f"ci={NEW_ANSWERS['ci']}",
        "--data",
        f"license={NEW_ANSWERS['license']}",
    )
    update(story, "v3 again", "--vcs-ref", "v3.0.0", checks=False)
    shutil.rmtree(project / ".venv", ignore_errors=True)
    return story
