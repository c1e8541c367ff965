"""`starter-fleet report` on git URLs: the fleet served by `git daemon` on 127.0.0.1 and as
file:// URLs gives the same figures as the folders, downloading only the commit, its trees and
the two files it reads, and leaving nothing behind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers.fleet import FLEET, Fleet, fleet_at, mismatches
from .helpers.git_daemon import GitDaemon, git_daemon
from .helpers.processes import run, tool_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fleet")]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    return fleet_at(tmp_path_factory.getbasetemp() / "fleet")


@pytest.fixture(scope="module")
def daemon(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GitDaemon]:
    with git_daemon(fleet.root, tmp_path_factory.mktemp("git-daemon")) as served:
        yield served


def _report(urls: list[str], tmp_path: Path, *args: str | Path) -> list[dict[str, Any]]:
    """Run the command with its clones' temporary folders in tmp_path/clones."""
    scratch = tmp_path / "clones"
    scratch.mkdir(exist_ok=True)
    out = tmp_path / "report.json"
    run([FLEET, "report", *urls, *args, "--json", out], tmp_path, env=tool_env(TMPDIR=str(scratch)))
    # Every temporary clone is gone.
    assert list(scratch.iterdir()) == []
    report: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return report


def _assert_same_figures(fleet: Fleet, urls: dict[str, str], report: list[dict[str, Any]]) -> None:
    assert [entry["repository"] for entry in report] == list(urls.values())
    wrong = {
        name: found
        for name, entry in zip(urls, report, strict=True)
        if (found := mismatches(entry, fleet.expected[name]))
    }
    assert not wrong, json.dumps(wrong, indent=2, ensure_ascii=False)
    assert {entry["kind"] for entry in report} == {"url"}


def test_url_repositories_give_the_same_figures_as_local_ones(
    fleet: Fleet, daemon: GitDaemon, tmp_path: Path
) -> None:
    urls = {name: daemon.url(name) for name in fleet.git_repositories}
    _assert_same_figures(
        fleet, urls, _report(list(urls.values()), tmp_path, "--template", fleet.template)
    )


def test_a_url_is_read_without_a_checkout_or_any_other_file(
    fleet: Fleet, daemon: GitDaemon, tmp_path: Path
) -> None:
    """`heavy` holds a 3 MiB file: the report downloads a few KiB, a shallow clone megabytes."""
    url = daemon.url("heavy")
    before = len(daemon.packs_sent("heavy"))
    (entry,) = _report([url], tmp_path, "--template", fleet.template)
    assert not mismatches(entry, fleet.expected["heavy"])
    packs = daemon.packs_sent("heavy")[before:]
    # One pack with the commit and its trees, one with the two files' blobs.
    assert len(packs) == 2, packs
    assert sum(packs) < 64 << 10, packs
    # The counter is right: a plain shallow clone of the same URL gets the big file.
    run(["git", "clone", "--quiet", "--bare", "--depth=1", url, tmp_path / "full.git"], tmp_path)
    assert daemon.packs_sent("heavy")[-1] > 3 << 20


def test_a_server_without_partial_clone_still_gives_the_figures(
    fleet: Fleet, tmp_path: Path
) -> None:
    """file:// URLs: the repositories do not allow filters, so git sends a shallow clone."""
    names = ["alpha", "beta", "gamma", "delta", "conflicted", "beta-mirror.git"]
    urls = {name: f"file://{fleet.path(name)}" for name in names}
    _assert_same_figures(fleet, urls, _report(list(urls.values()), tmp_path))


def test_unreachable_urls_are_problems_never_a_crash(daemon: GitDaemon, tmp_path: Path) -> None:
    urls = [
        daemon.url("no-such-repository"),
        "git://127.0.0.1:9/closed-port",
        f"file://{tmp_path / 'nothing-here'}",
    ]
    report = _report(urls, tmp_path)
    for entry in report:
        (problem,) = entry["problems"]
        assert problem["code"] == "clone-failed", entry
        assert problem["message"].startswith("git clone failed: "), entry
        assert entry["plan"] is None
    assert "no such repository" in report[0]["problems"][0]["message"]
