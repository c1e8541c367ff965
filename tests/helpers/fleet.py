"""A fleet of real repositories made from several template releases, some broken on purpose.

The template is this working tree released as v1.0.0, then v1.1.0 (a .gitignore line), a
commit after it that later becomes v1.2.0 and is withdrawn (its tag deleted), v2.0.0
(`update_story.release_v2`: among others a plan section 14 with two fields) and a pre-release
v2.1.0rc1. Projects are generated with the `copier` CLI at different releases, one is updated,
teams fill plan fields and tick checklist items, and some repositories are broken the way
real ones break. Every repository's expected figures are worked out here, independently of
the fleet command: the plan check's own report on the freshly generated plan (its command, as
a team runs it), plus exactly what the test changed; versions from the answers file read with
PyYAML; dates fixed by the commits.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .copier_runs import read_answers, render_in_process
from .processes import BIN, COPIER, run, tool_env
from .template_repo import make_template_release
from .update_story import append, commit_all, release_v2

PLAN_CHECK = BIN / "implementation-plan"
FLEET = BIN / "starter-fleet"
ANSWERS = ".copier-answers.yml"
PLAN = "implementation.md"

STABLE_RELEASES = ("v1.0.0", "v1.1.0", "v2.0.0")
LATEST = "v2.0.0"
PRE_RELEASE = "v2.1.0rc1"
WITHDRAWN = "v1.2.0"
V2_SECTION = "14"  # release_v2 appends "## 14. Operational Readiness" with two fields
V2_SECTION_FIELDS = 2
# Free text with everything that could break a table, a page or a terminal.
HOSTILE_NAME = 'Gamma </td><script>window.pwned = 1</script> "Q": #1 Zoë \u202eevil'


@dataclass(frozen=True)
class PlanFigures:
    fields_filled: int
    fields_total: int
    checklist_done: int
    checklist_total: int
    sections: dict[str, tuple[int, int]]  # key: (fields filled, fields total)
    phases: dict[str, tuple[int, int]]  # key: (checklist done, checklist total)


@dataclass
class Expected:
    """What the report must say about one repository."""

    project_name: str | None = None
    project_type: str | None = None
    stack: str | None = None
    ci: str | None = None
    template_version: str | None = None
    latest_template_version: str | None = None
    releases_behind: int | None = None
    newer_releases: list[str] = field(default_factory=list)
    last_commit: str | None = None
    plan: PlanFigures | None = None
    problems: dict[str, str] = field(default_factory=dict)  # code: words its message holds


@dataclass
class Fleet:
    root: Path  # every repository is a folder (or bare repository) directly in it
    template: Path
    other_template: Path
    expected: dict[str, Expected]
    git_repositories: list[str]  # the names git can serve (the others are not repositories)

    def path(self, name: str) -> Path:
        return self.root / name


# --- Figures worked out without the fleet command --------------------------------------

_FACTS = re.compile(r"^(?P<indent> +)(?P<name>.*): (?P<facts>\d+ of \d+ .*|nothing to fill in)$")
_UNFILLED = re.compile(r"(\d+) of (\d+) fields unfilled")
_DONE = re.compile(r"(\d+) of (\d+) checklist items done")


def _pair(pattern: re.Pattern[str], text: str) -> tuple[int, int]:
    match = pattern.search(text)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def plan_check_figures(project: Path) -> PlanFigures:
    """The plan check's report on a project's plan (`implementation-plan`), read back."""
    out = run([PLAN_CHECK, PLAN], project).stdout.splitlines()
    (unfilled, fields), (done, checklist) = _pair(_UNFILLED, out[0]), _pair(_DONE, out[0])
    sections: dict[str, tuple[int, int]] = {}
    phases: dict[str, tuple[int, int]] = {}
    for line in out[1:]:
        match = _FACTS.match(line)
        assert match, line
        if match["name"].startswith("PHASE "):
            phases[match["name"].split()[1]] = _pair(_DONE, match["facts"])
        else:
            part_unfilled, part_fields = _pair(_UNFILLED, match["facts"])
            sections[match["name"].split(".")[0]] = (part_fields - part_unfilled, part_fields)
    return PlanFigures(fields - unfilled, fields, done, checklist, sections, phases)


def count_checklist(text: str) -> tuple[int, int]:
    """Checklist items (done, total) counted by a plain regex, outside fenced code."""
    done = total = 0
    fence: str | None = None
    for line in text.splitlines():
        opening = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if opening:
            if fence is None:
                fence = opening[1][0]
            elif opening[1][0] == fence:
                fence = None
            continue
        if fence is None and (item := re.match(r"^\s*- \[([ xX])\]", line)):
            total += 1
            done += item[1] != " "
    return done, total


# --- What teams do ---------------------------------------------------------------------


Edit = Callable[[str], str | None]


def _span(lines: list[str], start: str, end: str) -> range:
    first = next(n for n, line in enumerate(lines) if line.startswith(start))
    last = next(n for n, line in enumerate(lines) if n > first and line.startswith(end))
    return range(first, last)


def _edit_first(project: Path, start: str, end: str, count: int, edit: Edit) -> None:
    """Edit the first `count` lines between the headings `start` and `end` that `edit` changes
    (it returns the new line, or None for a line it leaves)."""
    plan = project / PLAN
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = 0
    for number in _span(lines, start, end):
        if edited == count:
            break
        new = edit(lines[number])
        if new is not None:
            lines[number] = new
            edited += 1
    assert edited == count, f"{start.strip()} has only {edited} lines to edit, not {count}"
    plan.write_text("".join(lines), encoding="utf-8")


def fill_fields(project: Path, count: int) -> None:
    """Answer the first `count` fields of section 1 that hold only the `_TBD_` marker."""

    def answer(line: str) -> str | None:
        field_line = re.match(r"^- (.+?[:?]) _TBD_\n$", line)
        return f"- {field_line[1]} decided by the team\n" if field_line else None

    _edit_first(project, "## 1. ", "## 2. ", count, answer)


def tick_checklist(project: Path, count: int) -> None:
    """Tick the first `count` open checklist items of PHASE 0."""

    def tick(line: str) -> str | None:
        return line.replace("- [ ]", "- [x]", 1) if "- [ ]" in line else None

    _edit_first(project, "### PHASE 0 ", "### PHASE 1 ", count, tick)


def delete_section(project: Path, number: int) -> None:
    plan = project / PLAN
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    doomed = _span(lines, f"## {number}. ", f"## {number + 1}. ")
    plan.write_text("".join(lines[: doomed.start] + lines[doomed.stop :]), encoding="utf-8")


def with_edits(
    figures: PlanFigures, *, filled: int = 0, ticked: int = 0, new_section: bool = False
) -> PlanFigures:
    """The figures after filling `filled` fields of section 1 and ticking `ticked` items of
    PHASE 0 (and, with `new_section`, after the v2 update added section 14)."""
    sections = dict(figures.sections)
    phases = dict(figures.phases)
    section_filled, section_total = sections["1"]
    sections["1"] = (section_filled + filled, section_total)
    phase_done, phase_total = phases["0"]
    phases["0"] = (phase_done + ticked, phase_total)
    extra = V2_SECTION_FIELDS if new_section else 0
    if new_section:
        sections[V2_SECTION] = (0, V2_SECTION_FIELDS)
    return replace(
        figures,
        fields_filled=figures.fields_filled + filled,
        fields_total=figures.fields_total + extra,
        checklist_done=figures.checklist_done + ticked,
        sections=sections,
        phases=phases,
    )


def without_section(figures: PlanFigures, key: str) -> PlanFigures:
    sections = dict(figures.sections)
    filled, total = sections.pop(key)
    return replace(
        figures,
        fields_filled=figures.fields_filled - filled,
        fields_total=figures.fields_total - total,
        sections=sections,
    )


# --- Building it -----------------------------------------------------------------------


def _date(day: int) -> str:
    return f"2026-03-{day:02d}T09:30:00+02:00"


def commit_dated(repo: Path, message: str, day: int) -> str:
    """Commit everything with a known author and committer date; return that date."""
    date = _date(day)
    env = tool_env(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    run(["git", "add", "--all"], repo, env=env)
    run(["git", "commit", "--quiet", "--no-verify", "-m", message], repo, env=env)
    return date


def _init(repo: Path, day: int, message: str = "Generated from the template") -> str:
    run(["git", "init", "--quiet", "--initial-branch=main"], repo)
    return commit_dated(repo, message, day)


def _clone(source: Path, destination: Path) -> None:
    run(["git", "clone", "--quiet", str(source), str(destination)], source.parent)


def _from_answers(project: Path, answers: dict[str, Any], **overrides: Any) -> Expected:
    recorded = read_answers(project)  # PyYAML, not the fleet's reader
    expected = Expected(
        project_name=answers["project_name"],
        project_type=answers["project_type"],
        stack=recorded["stack"],
        ci=answers["ci"],
        template_version=str(recorded["_commit"]),
        latest_template_version=LATEST,
    )
    for key, value in overrides.items():
        setattr(expected, key, value)
    return expected


def _behind(version: str) -> dict[str, Any]:
    newer = [tag for tag in STABLE_RELEASES if tag > version]  # plain vN.N.N tags
    return {"releases_behind": len(newer), "newer_releases": newer}


def _other_template(root: Path) -> Path:
    """Another team's Copier template: its own questions, no plan."""
    other = root / "other-template"
    (other / "template").mkdir(parents=True)
    (other / "copier.yml").write_text(
        "_subdirectory: template\n_answers_file: .copier-answers.yml\n"
        "service_name:\n  type: str\n  default: Billing Worker\n"
        "language:\n  type: str\n  default: go\n"
    )
    (other / "template/{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    (other / "template/README.md.jinja").write_text("# {{ service_name }}\n")
    run(["git", "init", "--quiet", "--initial-branch=main"], other)
    commit_all(other, "Other template")
    run(["git", "tag", "v0.3.0"], other)
    return other


def build_fleet(root: Path) -> Fleet:
    """Template releases, then a dozen repositories made from them (about a minute)."""
    root.mkdir(parents=True)
    repos = root / "repos"
    repos.mkdir()
    template = make_template_release(root / "template", "v1.0.0")
    expected: dict[str, Expected] = {}

    def copy(name: str, ref: str, answers: dict[str, Any]) -> Path:
        project = repos / name
        render_in_process(template, project, answers, vcs_ref=ref)
        return project

    # v1.0.0, untouched since it was generated.
    alpha_answers = {"project_name": "Alpha Ledger", "project_type": "library", "ci": "github"}
    alpha = copy("alpha", "v1.0.0", alpha_answers)
    alpha_date = _init(alpha, 1)
    alpha_plan = plan_check_figures(alpha)
    expected["alpha"] = _from_answers(
        alpha, alpha_answers, last_commit=alpha_date, plan=alpha_plan, **_behind("v1.0.0")
    )

    # v1.0.0, the team fills 5 fields and ticks 3 items, then updates to v2.0.0 (later on).
    beta_answers = {"project_name": "Beta Payments API", "project_type": "api", "ci": "gitlab"}
    beta = copy("beta", "v1.0.0", beta_answers)
    _init(beta, 2)
    beta_plan = with_edits(plan_check_figures(beta), filled=5, ticked=3, new_section=True)
    fill_fields(beta, 5)
    tick_checklist(beta, 3)
    commit_dated(beta, "Team: first decisions", 3)

    # v1.1.0: a .gitignore line.
    append(template / "template/.gitignore.jinja", "\n# Editor swap files (v1.1.0)\n*.swp\n")
    commit_all(template, "Release v1.1.0")
    run(["git", "tag", "v1.1.0"], template)

    # v1.1.0 with a hostile project name; 2 fields filled, 5 items ticked.
    gamma_answers = {"project_name": HOSTILE_NAME, "project_type": "cli", "ci": "github"}
    gamma = copy("gamma", "v1.1.0", gamma_answers)
    _init(gamma, 4)
    gamma_plan = with_edits(plan_check_figures(gamma), filled=2, ticked=5)
    fill_fields(gamma, 2)
    tick_checklist(gamma, 5)
    gamma_date = commit_dated(gamma, "Team: plan progress", 5)
    expected["gamma"] = _from_answers(
        gamma, gamma_answers, last_commit=gamma_date, plan=gamma_plan, **_behind("v1.1.0")
    )

    # A template commit after v1.1.0, not (yet) a release: a project copied from it.
    append(template / "template/.editorconfig", "\n# Markdown keeps its trailing spaces.\n")
    commit_all(template, "Editor settings for Markdown")
    head = run(["git", "rev-parse", "HEAD"], template).stdout.strip()
    edge_answers = {"project_name": "Edge Tool", "project_type": "library", "ci": "github"}
    edge = copy("edge", head, edge_answers)
    edge_date = _init(edge, 6)
    expected["edge"] = _from_answers(
        edge,
        edge_answers,
        last_commit=edge_date,
        plan=plan_check_figures(edge),
        problems={"unreleased-commit": "after v1.1.0"},
        **_behind("v1.1.0"),
    )
    assert str(expected["edge"].template_version).startswith("v1.1.0-1-g")

    # That commit released as v1.2.0, a project copied from it, and the release withdrawn.
    run(["git", "tag", WITHDRAWN], template)
    withdrawn_answers = {"project_name": "Withdrawn Service", "project_type": "api", "ci": "github"}
    withdrawn = copy("withdrawn", WITHDRAWN, withdrawn_answers)
    withdrawn_date = _init(withdrawn, 7)

    # v2.0.0 (a plan section, a CI job, a question...), then a pre-release.
    release_v2(template)
    append(template / "template/.gitignore.jinja", "\n# Coverage output (v2.1.0rc1)\nhtmlcov/\n")
    commit_all(template, "Release candidate v2.1.0rc1")
    run(["git", "tag", PRE_RELEASE], template)
    run(["git", "tag", "--delete", WITHDRAWN], template)
    expected["withdrawn"] = _from_answers(
        withdrawn,
        withdrawn_answers,
        last_commit=withdrawn_date,
        plan=plan_check_figures(withdrawn),
        problems={"release-missing": f"release {WITHDRAWN} no longer exists"},
        **_behind(WITHDRAWN),
    )

    # beta updated from v1.0.0 to v2.0.0 with the copier CLI, its team's edits merged.
    run([COPIER, "update", "--defaults", "--quiet", "--vcs-ref", "v2.0.0"], beta)
    assert "<<<<<<<" not in (beta / PLAN).read_text(encoding="utf-8")
    beta_date = commit_dated(beta, "Update from the template: v2.0.0", 8)
    expected["beta"] = _from_answers(
        beta, beta_answers, last_commit=beta_date, plan=beta_plan, **_behind("v2.0.0")
    )
    assert expected["beta"].template_version == "v2.0.0"

    # v2.0.0 with a deleted plan section.
    delta_answers = {"project_name": "Delta Framework", "project_type": "framework", "ci": "gitlab"}
    delta = copy("delta", "v2.0.0", delta_answers)
    _init(delta, 9)
    delta_plan = without_section(plan_check_figures(delta), "4")
    delete_section(delta, 4)
    delta_date = commit_dated(delta, "Team: no data design, we store nothing", 10)
    expected["delta"] = _from_answers(
        delta,
        delta_answers,
        last_commit=delta_date,
        plan=delta_plan,
        problems={"damaged-plan": "required section 4 is missing"},
        **_behind("v2.0.0"),
    )

    # The answers file deleted.
    _clone(alpha, repos / "no-answers")
    (repos / "no-answers" / ANSWERS).unlink()
    expected["no-answers"] = Expected(
        last_commit=commit_dated(repos / "no-answers", "Remove the answers file", 11),
        plan=alpha_plan,
        problems={"no-answers-file": f"no {ANSWERS}"},
    )

    # Unresolved conflict markers in the answers file (a botched manual update).
    _clone(gamma, repos / "conflicted")
    answers_file = repos / "conflicted" / ANSWERS
    answers_file.write_text(
        answers_file.read_text().replace(
            "_commit: v1.1.0\n",
            "<<<<<<< before updating\n_commit: v1.1.0\n=======\n_commit: v2.0.0\n"
            ">>>>>>> after updating\n",
        )
    )
    expected["conflicted"] = Expected(
        last_commit=commit_dated(repos / "conflicted", "Update by hand", 12),
        plan=gamma_plan,
        problems={"corrupt-answers": "merge conflict"},
    )

    # A quote never closed.
    _clone(alpha, repos / "unclosed")
    answers_file = repos / "unclosed" / ANSWERS
    answers_file.write_text(
        answers_file.read_text().replace("project_name: Alpha Ledger", "project_name: 'Alpha")
    )
    try:
        yaml.safe_load(answers_file.read_text())
    except yaml.YAMLError:
        pass
    else:
        raise AssertionError("the unclosed quote should not be valid YAML")
    expected["unclosed"] = Expected(
        last_commit=commit_dated(repos / "unclosed", "Rename by hand", 13),
        plan=alpha_plan,
        problems={"corrupt-answers": "the quote opened on line"},
    )

    # A project of another team's template.
    other_template = _other_template(root)
    other = repos / "other"
    render_in_process(other_template, other, {}, vcs_ref="v0.3.0")
    expected["other"] = Expected(
        template_version="v0.3.0",
        last_commit=_init(other, 14),
        problems={"other-template": "another template", "no-plan": f"no {PLAN}"},
    )

    # A big file in a repository: read over a URL, it must never be downloaded.
    _clone(alpha, repos / "heavy")
    (repos / "heavy" / "assets.bin").write_bytes(_incompressible(3 << 20))
    expected["heavy"] = replace(
        expected["alpha"], last_commit=commit_dated(repos / "heavy", "Add assets", 15)
    )

    # A bare mirror of beta: read from HEAD, same figures.
    run(["git", "clone", "--quiet", "--bare", str(beta), str(repos / "beta-mirror.git")], repos)
    expected["beta-mirror.git"] = replace(expected["beta"])

    git_repositories = sorted(expected)

    # Not a git repository: alpha's files without .git.
    shutil.copytree(alpha, repos / "not-git", ignore=shutil.ignore_patterns(".git"))
    expected["not-git"] = replace(
        expected["alpha"],
        last_commit=None,
        problems={"not-a-git-repository": "not a git repository"},
    )

    # A path that does not exist.
    expected["gone"] = Expected(problems={"path-missing": "does not exist"})

    for name, figures in expected.items():
        if figures.plan is not None and name in git_repositories:
            text = run(["git", "show", f"HEAD:{PLAN}"], repos / name).stdout
            assert count_checklist(text) == (
                figures.plan.checklist_done,
                figures.plan.checklist_total,
            ), name
    return Fleet(repos, template, other_template, expected, git_repositories)


def _incompressible(size: int) -> bytes:
    """Bytes that no compression shrinks (a hash chain), the same on every run."""
    block = hashlib.sha512(b"fleet").digest()
    chunks: list[bytes] = []
    while len(chunks) * len(block) < size:
        block = hashlib.sha512(block).digest()
        chunks.append(block)
    return b"".join(chunks)[:size]


_FLEETS: dict[Path, Fleet] = {}


def fleet_at(root: Path) -> Fleet:
    """The fleet under `root`, built once per process however many test modules ask."""
    if root not in _FLEETS:
        _FLEETS[root] = build_fleet(root)
    return _FLEETS[root]


def fleet_json(fleet: Fleet, *args: str | Path, names: list[str] | None = None) -> Any:
    """Run `starter-fleet report` on the fleet (or `names` of it) and return its JSON."""
    out = fleet.root.parent / "report.json"
    locations = [str(fleet.path(name)) for name in (names or list(fleet.expected))]
    run([FLEET, "report", *locations, *map(str, args), "--json", out], fleet.root.parent)
    return json.loads(out.read_text(encoding="utf-8"))


def mismatches(entry: dict[str, Any], expected: Expected) -> list[str]:
    """Where one JSON entry of the report differs from what is expected of it."""
    found = []
    for key in (
        "project_name",
        "project_type",
        "stack",
        "ci",
        "template_version",
        "latest_template_version",
        "releases_behind",
        "newer_releases",
        "last_commit",
    ):
        if entry[key] != getattr(expected, key):
            found.append(f"{key}: {entry[key]!r} != expected {getattr(expected, key)!r}")
    plan, wanted = entry["plan"], expected.plan
    if wanted is None:
        if plan is not None:
            found.append(f"plan: {plan!r} != expected None")
    elif plan is None:
        found.append("plan: None, expected figures")
    else:
        got = PlanFigures(
            plan["fields_filled"],
            plan["fields_total"],
            plan["checklist_done"],
            plan["checklist_total"],
            {p["key"]: (p["fields_filled"], p["fields_total"]) for p in plan["sections"]},
            {p["key"]: (p["checklist_done"], p["checklist_total"]) for p in plan["phases"]},
        )
        if got != wanted:
            found.append(f"plan: {got} != expected {wanted}")
    messages: dict[str, list[str]] = {}
    for problem in entry["problems"]:
        messages.setdefault(problem["code"], []).append(problem["message"])
    if set(messages) != set(expected.problems):
        found.append(f"problems: {sorted(messages)} != expected {sorted(expected.problems)}")
    for code, words in expected.problems.items():
        if code in messages and not any(words in message for message in messages[code]):
            found.append(f"problem {code}: {messages[code]!r} do not say {words!r}")
    return found
