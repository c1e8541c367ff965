"""Template releases: tags in the order Copier uses, `_commit` read right, one template however
it is spelled, and each template's tags listed once however many repositories ask."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version as Pep440

from starter_template.fleet.releases import (
    ReleaseCatalog,
    ReleaseError,
    is_url,
    list_tags,
    parse_version,
    read_commit,
    releases_from_tags,
    same_place_key,
)
from starter_template.fleet.sources import git_env

from .helpers.processes import run

PRE = st.sampled_from(["", "a1", "b2", "rc1", "-rc.2", "rc3", ".dev1", "a1.dev2", ".post1"])
TAGS = st.builds(
    lambda v, parts, pre: v + ".".join(map(str, parts)) + pre,
    st.sampled_from(["", "v"]),
    st.lists(st.integers(0, 12), min_size=1, max_size=4),
    PRE,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(TAGS, min_size=2, max_size=12, unique=True))
def test_release_tags_sort_as_pep_440_sorts_them(tags: list[str]) -> None:
    """Copier orders tags with PEP 440 (packaging): the fleet agrees on every order."""
    ours = sorted(tags, key=lambda tag: parse_version(tag))  # type: ignore[arg-type,return-value]
    theirs = sorted(tags, key=Pep440)
    assert [Pep440(tag) for tag in ours] == [Pep440(tag) for tag in theirs]
    for tag in tags:
        version = parse_version(tag)
        assert version is not None
        assert version.stable == (not Pep440(tag).is_prerelease)


@pytest.mark.parametrize("tag", ["latest", "release-2", "v1.x", "2024-01-01", "main", ""])
def test_tags_that_are_not_versions_are_not_releases(tag: str) -> None:
    assert parse_version(tag) is None


def test_the_newest_release_is_stable_and_behind_counts_stable_releases() -> None:
    releases = releases_from_tags(
        "t", ["v1.0.0", "v2.0.0", "v1.10.0", "v1.2.0", "v2.1.0rc1", "nightly", "v1.9.0"]
    )
    assert [version.tag for version in releases.versions] == [
        "v1.0.0",
        "v1.2.0",
        "v1.9.0",
        "v1.10.0",
        "v2.0.0",
        "v2.1.0rc1",
    ]
    assert releases.latest is not None
    assert releases.latest.tag == "v2.0.0"
    on = parse_version("v1.2.0")
    assert on is not None
    assert [version.tag for version in releases.newer_than(on)] == ["v1.9.0", "v1.10.0", "v2.0.0"]
    only_candidates = releases_from_tags("t", ["v1.0.0rc1", "v1.0.0rc2"])
    assert only_candidates.latest is not None
    assert only_candidates.latest.tag == "v1.0.0rc2"


@pytest.mark.parametrize(
    ("commit", "tag", "ahead"),
    [
        ("v2.0.0", "v2.0.0", 0),
        ("v1.1.0-3-g1a2b3c4", "v1.1.0", 3),
        ("v1.1.0-rc.1-12-gdeadbeef", "v1.1.0-rc.1", 12),
        ("v1.1.0-1-g1a2b3c4-dirty", "v1.1.0", 1),
        ("1a2b3c4", None, 0),
        ("1a2b3c4-dirty", None, 0),
        ("2.0.0", "2.0.0", 0),
    ],
)
def test_copier_commit_is_read_as_a_tag_a_commit_after_one_or_a_hash(
    commit: str, tag: str | None, ahead: int
) -> None:
    ref = read_commit(commit)
    assert (ref.tag, ref.ahead) == (tag, ahead)


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "https://git.example.com/platform/starter.git",
            "https://git.example.com/platform/starter",
            "https://GIT.example.com/platform/starter/",
            "git+https://git.example.com/platform/starter.git",
            "ssh://git@git.example.com/platform/starter.git",
            "git@git.example.com:platform/starter.git",
            "git.example.com:platform/starter",
        ],
        ["gh:acme/starter", "https://github.com/acme/starter.git", "git@github.com:acme/starter"],
        [
            "/srv/templates/starter",
            "file:///srv/templates/starter",
            "git+file:///srv/templates/starter/",
        ],
    ],
)
def test_one_template_however_it_is_spelled(spellings: list[str]) -> None:
    assert len({same_place_key(spelling) for spelling in spellings}) == 1


def test_different_templates_stay_different() -> None:
    keys = {
        same_place_key(source)
        for source in (
            "https://git.example.com/platform/starter",
            "https://git.example.com/platform/starter-old",
            "https://git.example.com/other/starter",
            "https://mirror.example.com/platform/starter",
            "/srv/templates/starter",
        )
    }
    assert len(keys) == 5


@pytest.mark.parametrize(
    ("location", "url"),
    [
        ("https://host/org/repo.git", True),
        ("git://127.0.0.1:9418/alpha", True),
        ("file:///srv/repo", True),
        ("git@host:org/repo.git", True),
        ("host.example.com:org/repo", True),
        ("/srv/repos/alpha", False),
        ("repos/alpha", False),
        ("./a:b", False),
        ("C:\\repos\\alpha", False),
        ("~/repos/alpha", False),
    ],
)
def test_urls_and_paths_are_told_apart(location: str, url: bool) -> None:
    assert is_url(location) == url


def test_each_template_is_listed_once_however_many_threads_ask() -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def lister(source: str) -> list[str]:
        with lock:
            calls.append(source)
        if "broken" in source:
            raise ReleaseError("no such repository")
        return ["v1.0.0", "v1.1.0"]

    catalog = ReleaseCatalog(lister)
    spellings = ["https://host/t.git", "git@host:t", "https://host/t/"] * 10

    def ask(source: str) -> str:
        try:
            latest = catalog.get(source).latest
        except ReleaseError as error:
            return f"error: {error}"
        return latest.tag if latest else ""

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, [*spellings, *["https://host/broken"] * 5]))
    assert answers == ["v1.1.0"] * 30 + ["error: no such repository"] * 5
    assert len(calls) == 2


def test_tags_are_listed_from_a_repository_without_cloning_it(tmp_path: Path) -> None:
    repository = tmp_path / "template"
    repository.mkdir()
    run(["git", "init", "--quiet", "--initial-branch=main"], repository)
    run(["git", "commit", "--quiet", "--allow-empty", "-m", "one"], repository)
    for tag in ("v1.0.0", "v1.1.0", "not-a-release"):
        run(["git", "tag", tag], repository)
    run(["git", "tag", "--annotate", "-m", "two", "v2.0.0"], repository)
    assert sorted(list_tags(str(repository), git_env(), 30)) == [
        "not-a-release",
        "v1.0.0",
        "v1.1.0",
        "v2.0.0",
    ]
    with pytest.raises(ReleaseError):
        list_tags(str(tmp_path / "missing"), git_env(), 30)
