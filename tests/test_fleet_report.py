"""`starter-fleet report` on a fleet of real generated repositories (tests/helpers/fleet.py):
every figure is right, every broken repository says why, nothing is ever written to one."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from starter_template.fleet.render import printable

from .helpers.fleet import (
    FLEET,
    HOSTILE_NAME,
    LATEST,
    Fleet,
    fleet_at,
    fleet_json,
    mismatches,
)
from .helpers.processes import run, tool_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fleet")]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    return fleet_at(tmp_path_factory.getbasetemp() / "fleet")


def _by_name(report: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {Path(entry["repository"]).name: entry for entry in report}


def _assert_report(fleet: Fleet, report: list[dict[str, Any]]) -> None:
    entries = _by_name(report)
    assert sorted(entries) == sorted(fleet.expected)
    wrong = {
        name: problems
        for name, expected in fleet.expected.items()
        if (problems := mismatches(entries[name], expected))
    }
    assert not wrong, json.dumps(wrong, indent=2, ensure_ascii=False)


def test_every_figure_in_the_json_is_right(fleet: Fleet) -> None:
    report = fleet_json(fleet, "--template", fleet.template)
    # The order given is the order reported, whatever thread finished first.
    assert [entry["repository"] for entry in report] == [
        str(fleet.path(name)) for name in fleet.expected
    ]
    _assert_report(fleet, report)
    by_name = _by_name(report)
    assert by_name["gamma"]["project_name"] == HOSTILE_NAME
    assert {entry["kind"] for entry in report} == {"path"}
    # The pre-release is not "newest": a project on v2.0.0 is not behind.
    assert by_name["beta"]["latest_template_version"] == LATEST
    assert by_name["beta"]["releases_behind"] == 0


def test_releases_come_from_each_answers_file_without_template(fleet: Fleet) -> None:
    """Without --template, each answers file's _src_path is listed (once per source)."""
    _assert_report(fleet, fleet_json(fleet))


def test_every_broken_repository_is_reported_with_its_reason(fleet: Fleet) -> None:
    result = run(
        [FLEET, "report", *(fleet.path(name) for name in fleet.expected)],
        fleet.root.parent,
        env=tool_env(COLUMNS="400"),
    )
    table = result.stdout
    for name, expected in fleet.expected.items():
        assert str(fleet.path(name)) in table
        for code in expected.problems:
            assert f"- {code}: " in table, (name, code)
    # The hostile name is shown, with its right-to-left override made visible, cut to 40
    # columns (the JSON has it whole).
    assert printable(HOSTILE_NAME)[:39] + "\u2026" in table
    assert "\u202e" not in table
    assert f"newest release {LATEST}" in table


def _snapshot(root: Path) -> dict[str, tuple[Any, ...]]:
    """Every file and folder under root: kind, size, modification time and content hash."""
    entries: dict[str, tuple[Any, ...]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        entries[path.relative_to(root).as_posix()] = (
            path.is_dir(),
            info.st_size,
            info.st_mtime_ns,
            digest,
        )
    return entries


def _statuses(fleet: Fleet) -> dict[str, str]:
    # Without optional locks, `git status` itself writes nothing either.
    env = tool_env(GIT_OPTIONAL_LOCKS="0")
    return {
        name: run(["git", "status", "--porcelain", "--ignored"], fleet.path(name), env=env).stdout
        for name in fleet.git_repositories
        if (fleet.path(name) / ".git").exists()
    }


def test_the_report_never_writes_to_a_repository(fleet: Fleet, tmp_path: Path) -> None:
    statuses = _statuses(fleet)
    before = _snapshot(fleet.root)
    for extra in ([], ["--template", str(fleet.template)]):
        run(
            [
                FLEET,
                "report",
                *(fleet.path(name) for name in fleet.expected),
                *extra,
                "--json",
                tmp_path / "fleet.json",
                "--markdown",
                tmp_path / "fleet.md",
                "--html",
                tmp_path / "fleet.html",
            ],
            tmp_path,
        )
    assert _snapshot(fleet.root) == before
    assert _statuses(fleet) == statuses
    assert len(before) > 1000  # every file of every repository, .git included


def test_fail_behind_exits_non_zero_only_beyond_the_limit(fleet: Fleet, tmp_path: Path) -> None:
    repos = [fleet.path(name) for name in fleet.expected]
    behind = {
        name: expected.releases_behind
        for name, expected in fleet.expected.items()
        if expected.releases_behind is not None
    }
    most = max(behind.values())
    assert most == 2
    allowed = run([FLEET, "report", *repos, "--fail-behind", str(most)], tmp_path, check=False)
    assert allowed.returncode == 0, allowed.stderr
    for limit in (most - 1, 0):
        failed = run([FLEET, "report", *repos, "--fail-behind", str(limit)], tmp_path, check=False)
        assert failed.returncode == 1
        late = {name for name, count in behind.items() if count > limit}
        named = {name for name in fleet.expected if f"{fleet.path(name)}:" in failed.stderr}
        assert named == late, failed.stderr
        # Problems with single repositories never change the exit status: only --fail-behind.
        assert "Traceback" not in failed.stderr


def test_the_same_template_spelled_as_a_url_is_not_another_template(fleet: Fleet) -> None:
    for spelling in (f"file://{fleet.template}", f"git+file://{fleet.template}/"):
        _assert_report(fleet, fleet_json(fleet, "--template", spelling))


def test_another_template_given_makes_every_project_another_templates(fleet: Fleet) -> None:
    report = _by_name(fleet_json(fleet, "--template", fleet.other_template))
    assert "another template" in json.dumps(report["alpha"]["problems"])
    assert report["alpha"]["releases_behind"] is None
    assert report["other"]["releases_behind"] == 0
    assert report["other"]["latest_template_version"] == "v0.3.0"


def test_a_template_that_cannot_be_listed_is_a_problem_not_a_crash(
    fleet: Fleet, tmp_path: Path
) -> None:
    """Answers pointing at a moved template (a path, a closed port): reported, never fatal."""
    sources = {"moved": str(tmp_path / "moved-template"), "closed": "git://127.0.0.1:9/starter"}
    for name, source in sources.items():
        shutil.copytree(fleet.path("alpha"), tmp_path / name)
        answers = tmp_path / name / ".copier-answers.yml"
        text = answers.read_text()
        answers.write_text(text.replace(f"_src_path: {fleet.template}", f"_src_path: {source}"))
        assert answers.read_text() != text
    result = run([FLEET, "report", *sources, "--json", "out.json"], tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    for entry in json.loads((tmp_path / "out.json").read_text()):
        source = sources[entry["repository"]]
        (problem,) = entry["problems"]
        assert problem["code"] == "template-unreachable"
        assert f"cannot list the releases of {source}" in problem["message"]
        assert entry["template_version"] == "v1.0.0"
        assert entry["releases_behind"] is None
        assert entry["plan"]["fields_total"] == fleet.expected["alpha"].plan.fields_total  # type: ignore[union-attr]


def test_repos_file_lists_repositories_relative_to_itself(fleet: Fleet, tmp_path: Path) -> None:
    listing = tmp_path / "lists" / "fleet.txt"
    listing.parent.mkdir()
    alpha, gamma = (
        os.path.relpath(fleet.path(name), listing.parent) for name in ("alpha", "gamma")
    )
    listing.write_text(f"# The platform team's fleet\n\n{alpha}\n  {gamma}  \n\n# retired\n")
    report = fleet_json(fleet, "--repos-file", listing, names=["beta"])
    assert [Path(entry["repository"]).resolve() for entry in report] == [
        fleet.path(name).resolve() for name in ("beta", "alpha", "gamma")
    ]
    for entry in report:
        assert not mismatches(entry, fleet.expected[Path(entry["repository"]).name])


class _Cells(HTMLParser):
    """The text of every table cell of an HTML fragment, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_markdown_shows_every_name_as_written(fleet: Fleet, tmp_path: Path) -> None:
    names = list(fleet.expected)
    run(
        [FLEET, "report", *(fleet.path(name) for name in names), "--markdown", tmp_path / "f.md"],
        tmp_path,
    )
    rendered = MarkdownIt("commonmark").enable("table").render((tmp_path / "f.md").read_text())
    cells = _Cells()
    cells.feed(rendered)
    assert "script" not in cells.tags  # the hostile name's <script> is text
    table = [row for row in cells.rows if row and row[0] == "Repository"]
    assert table, rendered[:2000]
    start = cells.rows.index(table[0])
    body = cells.rows[start + 1 : start + 1 + len(names)]
    assert [row[0] for row in body] == [str(fleet.path(name)) for name in names]
    projects = {Path(row[0]).name: row[1] for row in body}
    assert projects["gamma"] == printable(HOSTILE_NAME)
    assert projects["alpha"] == "Alpha Ledger"


def test_progress_bar_only_on_a_terminal(fleet: Fleet, tmp_path: Path) -> None:
    repos = [str(fleet.path(name)) for name in ("alpha", "beta", "gamma")]
    quiet = run([FLEET, "report", *repos], tmp_path)
    assert quiet.stderr == ""
    controller, terminal = pty.openpty()
    try:
        with subprocess.Popen(
            [str(FLEET), "report", *repos],
            cwd=tmp_path,
            env=tool_env(),
            stdout=subprocess.PIPE,
            stderr=terminal,
        ) as process:
            os.close(terminal)
            stdout, _ = process.communicate(timeout=120)
            drawn = b""
            while True:
                try:
                    chunk = os.read(controller, 4096)
                except OSError:  # the terminal is closed once the command has ended
                    break
                if not chunk:
                    break
                drawn += chunk
    finally:
        os.close(controller)
    assert process.returncode == 0
    assert b"3/3 repositories" in drawn
    assert b"[" + b"#" * 30 + b"]" in drawn
    # The table on stdout is the same either way.
    assert stdout.decode() == quiet.stdout


def test_uvx_runs_the_command_from_a_template_release(fleet: Fleet, tmp_path: Path) -> None:
    """As platform teams run it: `uvx --from git+<template URL>@<release> starter-fleet`."""
    names = ["alpha", "gamma"]
    result = run(
        [
            "uvx",
            "--from",
            f"git+file://{fleet.template}@{LATEST}",
            "starter-fleet",
            "report",
            *(fleet.path(name) for name in names),
            "--template",
            fleet.template,
            "--json",
            "-",
        ],
        tmp_path,
    )
    report = json.loads(result.stdout)
    assert [Path(entry["repository"]).name for entry in report] == names
    for name, entry in zip(names, report, strict=True):
        assert not mismatches(entry, fleet.expected[name]), name
