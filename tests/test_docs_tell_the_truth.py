"""The docs tell the truth: every command they show works, every link leads somewhere, and
their tables agree with the facts they describe.

Every command of a shell block (```sh, ```bash, ```shell, ```console) in README.md and the
pages under docs/ is exactly one of:

- run as written, by one of the scenarios below (slow tests), in scratch folders set up as the
  docs describe: a bare git repository holding a tagged release of this working tree stands in
  for the company's git server (`$TEMPLATE`), and projects are generated from it. Two commands
  get extra options that keep them inside a test (`Runs`, each with its reason);
- quoted: a line of a file that the tests or CI run (`QUOTED`);
- allowed: it cannot run here, and `ALLOWED` says why.

Anything else fails `test_every_command_the_docs_show_is_run_quoted_or_allowed`: a new command
in the docs forces a decision. Commands are compared as text, so the tests type exactly what a
reader would copy.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .helpers import docs
from .helpers.copier_runs import read_answers
from .helpers.docs import Command, DocShell, Runs
from .helpers.facts import (
    GENERATED_FILES,
    HOOK_REPOSITORIES,
    OWNERS,
    PROJECT_TYPES_DATA,
    QUESTIONS,
)
from .helpers.hook_mirrors import configured_hook_ids, hook_mirror_env, hook_report
from .helpers.processes import run
from .helpers.template_repo import TEMPLATE_ROOT, TEST_RELEASE, template_files

COPIER_VERSION = str(QUESTIONS["copier_version"]["default"])
UVX_COPIER = f"uvx copier@{COPIER_VERSION}"

# Commands that are lines of files the tests or CI run: command -> the file.
QUOTED = {
    "uv run pytest": ".ci/run",
}

# Commands that cannot run here: command -> why, and what proves the same thing instead.
ALLOWED = {
    "TEMPLATE=https://git.example.com/platform/starter-template.git": (
        "names the company's git server, which does not exist here; every scenario sets "
        "TEMPLATE to a bare repository standing in for it"
    ),
    f'{UVX_COPIER} copy "$TEMPLATE" invoice-service': (
        "asks its questions on a terminal, and Copier refuses input that is not one; the same "
        "copy with --defaults and --data runs in test_a_project_lives_through_a_release_..."
    ),
    (
        "uvx --from git+https://git.example.com/platform/starter.git@v1.4.0 starter-fleet report "
        "--repos-file fleet/repositories.txt "
        "--template https://git.example.com/platform/starter.git "
        "--html site/index.html --json site/fleet.json --markdown site/fleet.md"
    ): (
        "names the company's git server, which does not exist here; the same uvx run from a "
        "local template release is test_uvx_runs_the_command_from_a_template_release, and every "
        "option it uses runs in tests/test_fleet_report.py"
    ),
}

# Docs pages other branches are writing, linked before they exist. Remove an entry once its
# page is merged: test_pending_pages_are_still_pending fails as soon as the page exists.
PENDING_PAGES: set[str] = set()

# --- The scenarios: what each page tells a reader to type, in order -------------------------

COPY_WITH_ANSWERS = (
    f'{UVX_COPIER} copy --defaults --data project_name="Invoice Service" '
    '--data project_type=api "$TEMPLATE" invoice-service'
)
COMPANY_COPY = (
    f'{UVX_COPIER} copy --defaults --data-file company-answers.yml "$TEMPLATE" invoice-service'
)
ADOPT_COPY = (
    f'{UVX_COPIER} copy --defaults --overwrite --data project_name="Ledger" '
    '--data package_name=ledger "$TEMPLATE" .'
)
RELEASE = ("git tag v1.1.0", "git push origin v1.1.0")
OWN_HOOKS = "uv run pre-commit run --all-files"
FAST_LANE = Runs(
    'uv run pytest -m "not slow"',
    extra="--collect-only -q",
    why="collects the fast lane without running it: a test cannot run the suite it is part of",
)
BENCHMARK = Runs(
    "uv run python benchmarks/bench.py",
    extra="--help",
    why=(
        "starts it against the current test helpers, whose calls mypy checks; a timing run "
        "takes minutes and its figures are nothing to assert"
    ),
)

MUTATION_LIST = "uv run python benchmarks/mutation.py list"
MUTATION_RUNS = tuple(
    Runs(
        f"uv run python benchmarks/mutation.py {kind}",
        extra="--help",
        why=(
            "starts it against the current test helpers; the run itself takes an hour and "
            "tests/test_mutation_run.py checks that every mutant still applies"
        ),
    )
    for kind in ("template", "python")
)

Step = str | Runs | Callable[[DocShell], None]


def quick_start_project_exists(shell: DocShell) -> None:
    project = shell.cwd.parent / "my-project"
    assert read_answers(project)["_commit"] == TEST_RELEASE
    assert (project / "implementation.md").is_file()


def fast_lane_leaves_out_the_slow_tests(shell: DocShell) -> None:
    output = shell.outputs[FAST_LANE.command]
    counts = re.search(r"(\d+)/(\d+) tests collected \((\d+) deselected\)", output)
    assert counts, output[-2000:]
    selected, total, deselected = map(int, counts.groups())
    assert selected > 0
    assert deselected > 0
    assert selected + deselected == total
    module = "tests/test_docs_tell_the_truth.py"
    assert f"{module}::test_relative_links_lead_to_existing_files_and_headings" in output
    assert f"{module}::test_a_fresh_clone_runs_the_readme_and_contributing_commands" not in output


def every_own_hook_passed(shell: DocShell) -> None:
    """Every hook of this repository ran on the fresh clone (its symlinks included) and passed,
    none skipped for want of a file of its kind. (The offline mirrors name each hook by its id.)
    """
    output = shell.outputs[OWN_HOOKS]
    statuses = dict(hook_report(output))
    hooks = configured_hook_ids(shell.cwd)
    assert len(hooks) > 10
    assert {hook: statuses.get(hook) for hook in hooks} == dict.fromkeys(hooks, "Passed"), output
    assert any((shell.cwd / name).is_symlink() for name in template_files())


def benchmark_starts(shell: DocShell) -> None:
    output = shell.outputs[BENCHMARK.command]
    assert "--repeat" in output, output
    assert "--project-type" in output, output


def mutation_run_starts(shell: DocShell) -> None:
    listed = [
        line
        for line in shell.outputs[MUTATION_LIST].splitlines()
        if re.match(r"^[a-z0-9-]+  ", line)
    ]
    assert len(listed) >= 30, listed
    assert all(" applies: " in line for line in listed), listed
    assert "--only" in shell.outputs[MUTATION_RUNS[0].command]
    assert "--max-children" in shell.outputs[MUTATION_RUNS[1].command]


# README.md and contributing.md, from a fresh clone of this repository.
FRESH_CLONE: tuple[Step, ...] = (
    "uv sync",
    "uv run pre-commit install",
    'uv run copier copy --defaults --vcs-ref HEAD "$PWD" ../my-project',
    quick_start_project_exists,
    FAST_LANE,
    fast_lane_leaves_out_the_slow_tests,
    OWN_HOOKS,
    every_own_hook_passed,
    BENCHMARK,
    benchmark_starts,
    MUTATION_LIST,
    *MUTATION_RUNS,
    mutation_run_starts,
)


def first_commit_went_through_the_hooks(shell: DocShell) -> None:
    log = run(["git", "log", "--format=%s"], shell.cwd, env=shell.env).stdout.splitlines()
    assert log == ["Initial commit from the starter template"]
    assert "implementation.md: structure complete" in shell.outputs["scripts/bootstrap"]


def plan_report_and_summary_are_shown(shell: DocShell) -> None:
    report = shell.outputs["scripts/check plan"]
    assert "implementation.md: structure complete" in report
    summary = shell.outputs['uvx --from "git+$TEMPLATE@v1.0.0" implementation-plan --summary']
    assert re.search(r"^\|.*\|$", summary, re.MULTILINE), summary


NEW_IN_V1_1 = "# Local tool state (added in v1.1.0)"


def platform_team_merges_a_change(shell: DocShell) -> None:
    """What precedes a release: a change on the template's default branch."""
    clone = shell.cwd.parent / "starter-template"
    if not clone.exists():
        run(["git", "clone", "--quiet", shell.env["TEMPLATE"], clone], shell.cwd, env=shell.env)
    gitignore = clone / "template/.gitignore.jinja"
    gitignore.write_text(gitignore.read_text() + f"\n{NEW_IN_V1_1}\n.direnv/\n")
    run(["git", "commit", "--quiet", "--all", "-m", "Ignore direnv"], clone, env=shell.env)
    shell.cwd = clone


def team_returns_to(folder: str) -> Callable[[DocShell], None]:
    def step(shell: DocShell) -> None:
        shell.cwd = shell.cwd.parent / folder

    step.__name__ = f"team_returns_to_{folder}"
    return step


def project_is_behind(shell: DocShell) -> None:
    output = shell.outputs[f"{UVX_COPIER} check-update"]
    assert "latest version is 1.1.0" in output, output


def update_arrived_without_conflicts(shell: DocShell) -> None:
    assert read_answers(shell.cwd)["_commit"] == "v1.1.0"
    assert NEW_IN_V1_1 in (shell.cwd / ".gitignore").read_text()
    config = yaml.safe_load((shell.cwd / ".pre-commit-config.yaml").read_text())
    assert config["repos"][-1]["rev"] == "v1.1.0", "the plan check follows the release"
    assert shell.outputs["git diff --name-only --diff-filter=U"].strip() == ""


def ci_answer_swapped_the_pipeline(shell: DocShell) -> None:
    assert read_answers(shell.cwd)["ci"] == "gitlab"
    assert (shell.cwd / ".gitlab-ci.yml").is_file()
    assert not (shell.cwd / ".github").exists()


# using.md and platform.md: a project from its generation through a template release.
PROJECT_LIFE: tuple[Step, ...] = (
    COPY_WITH_ANSWERS,
    "cd invoice-service",
    "scripts/bootstrap",
    first_commit_went_through_the_hooks,
    "scripts/check plan",
    'uvx --from "git+$TEMPLATE@v1.0.0" implementation-plan --summary',
    plan_report_and_summary_are_shown,
    platform_team_merges_a_change,
    *RELEASE,
    team_returns_to("invoice-service"),
    f"{UVX_COPIER} check-update",
    project_is_behind,
    "git switch -c template-update",
    f"{UVX_COPIER} update --defaults",
    "git status",
    "git diff --name-only --diff-filter=U",
    update_arrived_without_conflicts,
    # scripts/check: run after the adoption below; test_project_checks_pass_after_the_releases
    # runs the same checks once a project is updated to v2 and then v3.
    "git add --all",
    'git commit -m "Update from the starter template"',
    f"{UVX_COPIER} update --defaults --data ci=gitlab",
    ci_answer_swapped_the_pipeline,
)

LEDGER_INIT = '''"""Ledger: entries and balances, written before the template was adopted."""

from importlib.metadata import version

__version__ = version("ledger")


def balance(cents: list[int]) -> int:
    """The sum of all entries, in cents."""
    return sum(cents)
'''
LEDGER_TEST = '''"""The ledger sums its entries."""

from ledger import balance


def test_balance_sums_entries() -> None:
    assert balance([150, -50]) == 100
'''
LEDGER_PYPROJECT = """[project]
name = "ledger"
version = "0.3.0"
requires-python = ">=3.11"

[build-system]
requires = ["uv_build>=0.9,<0.14"]
build-backend = "uv_build"
"""


def existing_repository(shell: DocShell) -> None:
    """A small library that has lived without the template: its code, tests and history."""
    repository = shell.cwd / "ledger"
    for path, text in {
        "pyproject.toml": LEDGER_PYPROJECT,
        "README.md": "# Ledger\n\nSums ledger entries.\n",
        "src/ledger/__init__.py": LEDGER_INIT,
        "tests/test_ledger.py": LEDGER_TEST,
    }.items():
        (repository / path).parent.mkdir(parents=True, exist_ok=True)
        (repository / path).write_text(text)
    for command in (
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "--all"],
        ["git", "commit", "--quiet", "-m", "Ledger 0.3.0"],
    ):
        run(command, repository, env=shell.env)
    shell.cwd = repository


def own_code_is_kept_beside_the_seeded_files(shell: DocShell) -> None:
    assert (shell.cwd / "src/ledger/__init__.py").read_text() == LEDGER_INIT
    assert (shell.cwd / "tests/test_ledger.py").read_text() == LEDGER_TEST
    assert (shell.cwd / "src/ledger/config.py").is_file()
    assert read_answers(shell.cwd)["package_name"] == "ledger"


def adopted_project_updates_like_any_other(shell: DocShell) -> None:
    assert read_answers(shell.cwd)["_commit"] == "v1.1.0"
    assert NEW_IN_V1_1 in (shell.cwd / ".gitignore").read_text()
    assert (shell.cwd / "src/ledger/__init__.py").read_text() == LEDGER_INIT


# using.md: adopting the template in an existing repository, then taking a release.
ADOPTION: tuple[Step, ...] = (
    existing_repository,
    "git switch -c adopt-template",
    ADOPT_COPY,
    "git status",
    "git restore src/ tests/",
    own_code_is_kept_beside_the_seeded_files,
    "scripts/bootstrap",
    "scripts/check",
    "git add --all",
    'git commit -m "Adopt the starter template"',
    platform_team_merges_a_change,
    *RELEASE,
    team_returns_to("ledger"),
    f"{UVX_COPIER} update --defaults",
    adopted_project_updates_like_any_other,
)


def company_files_from_the_docs(shell: DocShell) -> None:
    """The data file and settings file exactly as platform.md shows them."""
    for name in ("company-answers.yml", "settings.yml"):
        (shell.cwd / name).write_text(docs.named_block("docs/platform.md", name).text)
    shell.env["COPIER_SETTINGS_PATH"] = str(shell.cwd / "settings.yml")


def answers_and_defaults_reached_the_project(shell: DocShell) -> None:
    answers = read_answers(shell.cwd / "invoice-service")
    given = yaml.safe_load((shell.cwd / "company-answers.yml").read_text())
    defaults = yaml.safe_load((shell.cwd / "settings.yml").read_text())["defaults"]
    for key, value in {**given, **defaults}.items():
        assert answers[key] == value, key


# platform.md: a company's data file and a person's Copier settings.
COMPANY: tuple[Step, ...] = (
    company_files_from_the_docs,
    COMPANY_COPY,
    answers_and_defaults_reached_the_project,
)

SCENARIOS = {
    "FRESH_CLONE": FRESH_CLONE,
    "PROJECT_LIFE": PROJECT_LIFE,
    "ADOPTION": ADOPTION,
    "COMPANY": COMPANY,
}


def commands_run() -> dict[str, str]:
    """Every docs command the scenarios type, with the scenario that types it."""
    typed: dict[str, str] = {}
    for name, steps in SCENARIOS.items():
        for step in steps:
            if isinstance(step, str):
                typed.setdefault(step, name)
            elif isinstance(step, Runs):
                typed.setdefault(step.command, name)
    return typed


def docs_commands() -> list[Command]:
    return [command for page in docs.doc_pages() for command in docs.shell_commands(page)]


# --- Fast: commands, links, tables ------------------------------------------------------------


def test_every_command_the_docs_show_is_run_quoted_or_allowed() -> None:
    decided = [set(commands_run()), set(QUOTED), set(ALLOWED)]
    unknown = [
        str(command)
        for command in docs_commands()
        if not any(command.text in kind for kind in decided)
    ]
    assert not unknown, (
        "commands in the docs that no test runs, quotes or allows; run each in a scenario of "
        f"{__name__}, or quote it from a file that runs (QUOTED), or say why not (ALLOWED):\n"
        + "\n".join(unknown)
    )
    overlap = [text for text in commands_run() if text in QUOTED or text in ALLOWED]
    assert not overlap + [text for text in QUOTED if text in ALLOWED], "decided twice"


def test_every_command_the_tests_run_quote_or_allow_is_still_in_the_docs() -> None:
    shown = {command.text for command in docs_commands()}
    stale = sorted({*commands_run(), *QUOTED, *ALLOWED} - shown)
    assert not stale, f"no page shows these any more; remove them from {__name__}: {stale}"


def test_quoted_commands_are_lines_of_the_files_that_run_them() -> None:
    for command, path in QUOTED.items():
        lines = [line.strip() for line in (TEMPLATE_ROOT / path).read_text().splitlines()]
        assert command in lines, f"{path} has no line `{command}`"


def test_allowed_commands_say_why_they_cannot_run() -> None:
    for command, reason in ALLOWED.items():
        assert len(reason.split()) >= 8, f"say why `{command}` cannot run in a test"
    assert len(ALLOWED) <= 5, "the allowlist is for exceptions: run or quote commands instead"


def test_relative_links_lead_to_existing_files_and_headings() -> None:
    broken = []
    for page in docs.doc_pages():
        for link in docs.relative_links(page):
            path, _, fragment = link.target.partition("#")
            target = (TEMPLATE_ROOT / page).parent / path if path else TEMPLATE_ROOT / page
            name = target.resolve().relative_to(TEMPLATE_ROOT.resolve()).as_posix()
            if name in PENDING_PAGES:
                continue
            if not target.exists():
                broken.append(f"{link}: no such file")
            elif fragment and fragment not in docs.anchors(name):
                broken.append(f"{link}: {name} has no heading #{fragment}")
    assert not broken, "\n".join(broken)


def test_every_page_is_reachable_from_the_readme() -> None:
    reached, queue = {"README.md"}, ["README.md"]
    while queue:
        page = queue.pop()
        for link in docs.relative_links(page):
            path = link.target.partition("#")[0]
            if not path.endswith(".md"):
                continue
            target = ((TEMPLATE_ROOT / page).parent / path).resolve()
            name = target.relative_to(TEMPLATE_ROOT.resolve()).as_posix()
            if name not in reached and target.exists():
                reached.add(name)
                queue.append(name)
    assert set(docs.doc_pages()) <= reached, set(docs.doc_pages()) - reached


def test_pending_pages_are_still_pending() -> None:
    landed = sorted(page for page in PENDING_PAGES if (TEMPLATE_ROOT / page).exists())
    assert not landed, f"{landed} exist now: remove them from PENDING_PAGES in {__name__}"


def documented_path(text: str) -> str:
    """A path as the docs write it, as `generated_files` writes it."""
    return text.replace("<package>", "{package}").replace(".copier-answers.yml", "{answers_file}")


def test_ownership_table_matches_generated_files() -> None:
    """docs/using.md lists every generated file once, under the owner copier/facts.yml gives it."""
    rows = docs.table_with_header("docs/using.md", "Path", "What it holds", "Owner")
    listed: list[tuple[str, str]] = []
    for path_cell, _what, owner in rows:
        assert owner in OWNERS, f"{path_cell}: unknown owner {owner!r}"
        listed += [(documented_path(path), owner) for path in docs.code_spans(path_cell)]
    owners = {entry.path: entry.owner for entry in GENERATED_FILES}
    for path, owner in listed:
        covered = [
            file
            for file in owners
            if file == path or (path.endswith("/") and file.startswith(path))
        ]
        assert covered, f"the table lists {path}, which generated_files does not have"
        for file in covered:
            assert owners[file] == owner, (
                f"{file} is {owners[file]} in generated_files, {owner} in the table"
            )
    for file in owners:
        rows_for_it = [
            path
            for path, _ in listed
            if path == file or (path.endswith("/") and file.startswith(path))
        ]
        assert len(rows_for_it) == 1, f"{file} is in {len(rows_for_it)} rows of the table, not one"


def test_project_types_table_matches_the_facts() -> None:
    """docs/using.md gives every project type, in order, with the starting code it gets."""
    rows = docs.table_with_header("docs/using.md", "`project_type`", "Starts as")
    kinds = {str(data["app_kind"]) for data in PROJECT_TYPES_DATA.values()}
    documented = []
    for type_cell, starts_as in rows:
        (project_type,) = docs.code_spans(type_cell)
        documented.append(project_type)
        named = [span for span in docs.code_spans(starts_as) if span in kinds]
        assert named == [PROJECT_TYPES_DATA[project_type]["app_kind"]], project_type
    assert documented == list(PROJECT_TYPES_DATA)


def test_question_map_lists_every_question_asked() -> None:
    """README.md's map of the questions names every key Copier asks, and nothing else."""
    rows = docs.table_with_header("README.md", "Key", "What it changes")
    mapped = [key for key_cell, _ in rows for key in docs.code_spans(key_cell)]
    asked = [key for key, question in QUESTIONS.items() if question.get("when") is not False]
    assert not set(asked) - set(mapped), f"README's question map lacks {set(asked) - set(mapped)}"
    assert not set(mapped) - set(asked), (
        f"README maps keys no question asks: {set(mapped) - set(asked)}"
    )
    assert len(mapped) == len(set(mapped)), "a key is mapped twice"


def defined_tests() -> set[str]:
    return {
        match[1]
        for path in (TEMPLATE_ROOT / "tests").glob("test_*.py")
        for match in re.finditer(r"^def (test_\w+)\(", path.read_text(), re.MULTILINE)
    }


def test_tests_the_docs_name_exist() -> None:
    named = {
        (page, span)
        for page in docs.doc_pages()
        for span in docs.inline_code(page)
        if re.fullmatch(r"test_\w+", span)
    }
    missing = sorted(f"{page}: {name}" for page, name in named if name not in defined_tests())
    assert not missing, missing


def test_docs_use_the_copier_release_generated_projects_use() -> None:
    """`copier@X` in the docs is `copier_version` (copier/technical.yml), which CI tests with."""
    pins = {
        version
        for page in docs.doc_pages()
        for version in re.findall(r"copier@([\w.]+)", (TEMPLATE_ROOT / page).read_text())
    }
    assert pins == {COPIER_VERSION}
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())
    assert f"copier=={COPIER_VERSION}" in pyproject["dependency-groups"]["dev"]


def test_commands_are_read_from_shell_blocks_as_a_reader_types_them() -> None:
    """Comments and prompts are dropped, output lines skipped, continued lines joined."""
    assert docs.strip_comment('echo "a # b"  # says a # b') == 'echo "a # b"'
    assert docs.strip_comment("echo a#b 'c # d'") == "echo a#b 'c # d'"
    console = docs.Block(
        "page.md",
        10,
        "console",
        "$ uv sync\nResolved 3 packages\n$ git tag \\\n    v1.1.0  # a release\n",
    )
    assert [(command.line, command.text) for command in docs.block_commands(console)] == [
        (11, "uv sync"),
        (13, "git tag v1.1.0"),
    ]
    output = docs.Block("page.md", 1, "text", "uv run pytest\n")
    assert docs.block_commands(output) == []
    readme = [command.text for command in docs.shell_commands("README.md")]
    assert readme[:2] == [
        'uv run copier copy --defaults --vcs-ref HEAD "$PWD" ../my-project',
        "uv run pytest",
    ]


# --- Slow: the scenarios, run as written -------------------------------------------------------


@pytest.fixture
def server(template_release: Path, tmp_path: Path) -> Path:
    """The company's git server: a bare repository holding the release this tree makes."""
    bare = tmp_path / "server" / "starter-template.git"
    run(["git", "clone", "--quiet", "--bare", template_release, bare], tmp_path)
    return bare


@pytest.fixture
def reader(server: Path, tmp_path: Path, shared_dir: Path) -> DocShell:
    """A person at a terminal in an empty folder, with `$TEMPLATE` set as using.md says."""
    home = tmp_path / "work"
    home.mkdir()
    settings = tmp_path / "copier-settings.yml"
    settings.write_text("defaults: {}\n")  # nobody's personal Copier settings
    # This repository's hooks, and every hook a generated project may pin (hadolint where
    # there is a Dockerfile), from the facts the template renders them from.
    generated = tmp_path / "generated-pre-commit-config.yaml"
    hooks = HOOK_REPOSITORIES.values()
    generated.write_text(
        yaml.safe_dump({"repos": [{"repo": hook["url"], "rev": hook["rev"]} for hook in hooks]})
    )
    configs = [TEMPLATE_ROOT / ".pre-commit-config.yaml", generated]
    env = docs.reader_env(
        TEMPLATE=server.as_uri(),
        COPIER_SETTINGS_PATH=str(settings),
        PRE_COMMIT_HOME=str(shared_dir / "pre-commit-home"),
        **hook_mirror_env(configs, shared_dir / "hook-mirrors"),
    )
    return DocShell(cwd=home, env=env)


def play(scenario: tuple[Step, ...], shell: DocShell) -> None:
    for step in scenario:
        if isinstance(step, str):
            shell.type(step)
        elif isinstance(step, Runs):
            shell.type(step.command, step.extra)
        else:
            step(shell)


@pytest.mark.slow
@pytest.mark.xdist_group("docs-fresh-clone")
def test_a_fresh_clone_runs_the_readme_and_contributing_commands(reader: DocShell) -> None:
    clone = reader.cwd / "starter-template"
    run(["git", "clone", "--quiet", reader.env["TEMPLATE"], clone], reader.cwd, env=reader.env)
    reader.cwd = clone
    play(FRESH_CLONE, reader)


@pytest.mark.slow
@pytest.mark.xdist_group("docs-project-life")
def test_a_project_lives_through_a_release_as_the_using_and_platform_pages_tell(
    reader: DocShell,
) -> None:
    play(PROJECT_LIFE, reader)


@pytest.mark.slow
@pytest.mark.xdist_group("docs-adoption")
def test_an_existing_repository_adopts_the_template_as_the_using_page_tells(
    reader: DocShell,
) -> None:
    play(ADOPTION, reader)


@pytest.mark.slow
@pytest.mark.xdist_group("docs-adoption")
def test_company_answers_and_personal_defaults_reach_a_new_project(reader: DocShell) -> None:
    play(COMPANY, reader)
