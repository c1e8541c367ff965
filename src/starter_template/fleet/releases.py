"""Template releases: version order of tags, what `_commit` says, and where a template lives.

Copier records in `_commit` the output of `git describe --tags --always` for the template
revision a project was copied or updated from: a tag (`v2.0.0`), a commit after a tag
(`v2.0.0-3-g1a2b3c4`) or a bare commit hash when the template had no tag. Releases are the tags
that read as versions; they are ordered as PEP 440 orders them (which is also how Copier picks
the newest): `1.0.0.dev1 < 1.0.0a1 < 1.0.0rc1 < 1.0.0 < 1.0.0.post1`, with a leading `v` and
SemVer pre-release spellings such as `-rc.1` accepted.
"""

from __future__ import annotations

import math
import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

_VERSION: Final = re.compile(
    r"^[vV]?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|alpha|b|beta|c|rc|pre|preview)[-_.]?(?P<pre_n>\d*))?"
    r"(?:[-_.]?(?P<post>post|rev|r)[-_.]?(?P<post_n>\d*))?"
    r"(?:[-_.]?(?P<dev>dev)[-_.]?(?P<dev_n>\d*))?"
    r"(?:\+[0-9A-Za-z.-]+)?$",
    re.IGNORECASE,
)
_PRE_RANK: Final = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_DESCRIBED: Final = re.compile(r"^(?P<tag>.+)-(?P<ahead>\d+)-g(?P<hash>[0-9a-f]{4,64})(?:-dirty)?$")
_HASH: Final = re.compile(r"^[0-9a-f]{4,64}(?:-dirty)?$")
_SCP_LIKE: Final = re.compile(r"^(?:[^@/:]+@)?(?P<host>[^/:]+):(?P<path>(?!/).*)$")
_SHORTCUTS: Final = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}


@dataclass(frozen=True, order=True)
class Version:
    """A release tag with its PEP 440 sort key; compares by the key only."""

    key: tuple[tuple[int, ...], float, int, float]
    tag: str = field(compare=False)
    stable: bool = field(compare=False)


def parse_version(tag: str) -> Version | None:
    """The version a tag names, or None when it is not a version."""
    match = _VERSION.match(tag.strip())
    if match is None:
        return None
    release = tuple(int(part) for part in match["release"].split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre, post, dev = match["pre"], match["post"], match["dev"]
    dev_number = int(match["dev_n"] or 0)
    if pre:
        pre_rank: float = _PRE_RANK[pre.lower()] * 1_000_000 + int(match["pre_n"] or 0)
    elif dev and not post:
        pre_rank = -math.inf  # 1.0.dev1 comes before 1.0a1
    else:
        pre_rank = math.inf
    post_number = int(match["post_n"] or 0) if post else -1
    key = (release, pre_rank, post_number, dev_number if dev else math.inf)
    return Version(key=key, tag=tag, stable=not pre and not dev)


@dataclass(frozen=True)
class TemplateRef:
    """What a project's `_commit` says about the template revision it is on."""

    commit: str
    tag: str | None  # the release tag it is on or after; None for a bare commit hash
    ahead: int  # commits after that tag (0: on the tag itself)

    @property
    def version(self) -> Version | None:
        return parse_version(self.tag) if self.tag else None


def read_commit(commit: str) -> TemplateRef:
    """Read Copier's `_commit` (a tag, `tag-N-gHASH` or a bare hash)."""
    if described := _DESCRIBED.match(commit):
        return TemplateRef(commit, described["tag"], int(described["ahead"]))
    if _HASH.match(commit) and parse_version(commit) is None:
        return TemplateRef(commit, None, 0)
    return TemplateRef(commit, commit.removesuffix("-dirty"), 0)


@dataclass(frozen=True)
class Releases:
    """The release tags of one template source, oldest first (stable and pre-releases)."""

    source: str
    versions: tuple[Version, ...]

    def find(self, tag: str) -> Version | None:
        return next((version for version in self.versions if version.tag == tag), None)

    @property
    def latest(self) -> Version | None:
        """The newest stable release (the newest pre-release when there is none)."""
        stable = [version for version in self.versions if version.stable]
        candidates = stable or list(self.versions)
        return candidates[-1] if candidates else None

    def newer_than(self, version: Version) -> list[Version]:
        """The stable releases after `version`, oldest first."""
        return [other for other in self.versions if other.stable and other > version]


_USERINFO: Final = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/@\s:]*)(?P<password>:[^/@\s]*)?@"
)


def redact(text: str) -> str:
    """Text with the credentials of any URL in it hidden: `https://***@host/...`.

    A password is always hidden; so is a user name over http(s), where it is often a token.
    """

    def hide(match: re.Match[str]) -> str:
        scheme = match["scheme"]
        if scheme.lower().removesuffix("://").rsplit("+", 1)[-1] in {"http", "https"}:
            return f"{scheme}***@"
        return f"{scheme}{match['user']}{':***' if match['password'] else ''}@"

    return _USERINFO.sub(hide, text)


def git_source(source: str) -> str:
    """What git can fetch for a template source as Copier records it (`gh:`, `git+...`)."""
    source = source.strip()
    for shortcut, prefix in _SHORTCUTS.items():
        if source.startswith(shortcut):
            return prefix + source[len(shortcut) :]
    return source.removeprefix("git+")


def is_url(location: str) -> bool:
    """Whether a repository or template location is a URL (or `host:path`) rather than a path."""
    if "://" in location:
        return True
    match = _SCP_LIKE.match(location)
    # `C:\\x` (a Windows drive) and `./a:b` are paths.
    return match is not None and len(match["host"]) > 1 and "/" not in match["host"]


def same_place_key(source: str) -> str:
    """A comparable form of a template source: host and path, or an absolute local path.

    `git@host:org/tpl.git`, `ssh://git@host/org/tpl`, `https://host/org/tpl/` and
    `git+https://host/org/tpl.git` are the same template; `file:///srv/tpl` is `/srv/tpl`.
    """
    location = git_source(source)
    if "://" in location:
        parts = urlsplit(location)
        if parts.scheme == "file":
            return str(Path(unquote(parts.path)).resolve())
        host = (parts.hostname or "").lower()
        path = parts.path
    elif is_url(location):
        match = _SCP_LIKE.match(location)
        if match is None:  # pragma: no cover - is_url matched it
            return location
        host, path = match["host"].lower(), "/" + match["path"]
    else:
        return str(Path(location).expanduser().resolve())
    path = path.rstrip("/").removesuffix(".git").rstrip("/")
    return f"{host}{path}"


def is_relative_path(source: str) -> bool:
    location = git_source(source)
    return not is_url(location) and not Path(location).expanduser().is_absolute()


class ReleaseError(Exception):
    """The releases of a template source could not be listed."""


def list_tags(source: str, env: dict[str, str], timeout: float) -> list[str]:
    """The tag names of a git repository (local path or URL), without cloning it."""
    try:
        listed = subprocess.run(  # noqa: S603 - an argument list, no shell
            ["git", "ls-remote", "--tags", "--refs", "--", git_source(source)],  # noqa: S607
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ReleaseError(f"git ls-remote gave no answer within {timeout:g} s") from error
    except OSError as error:
        raise ReleaseError(f"cannot run git: {error}") from error
    if listed.returncode != 0:
        lines = [line for line in listed.stderr.splitlines() if line.strip()]
        raise ReleaseError(lines[-1] if lines else f"git ls-remote exited {listed.returncode}")
    return [
        line.split("\t", 1)[1].removeprefix("refs/tags/")
        for line in listed.stdout.splitlines()
        if "\trefs/tags/" in line
    ]


def releases_from_tags(source: str, tags: list[str]) -> Releases:
    versions = {version.tag: version for tag in tags if (version := parse_version(tag))}
    return Releases(source, tuple(sorted(versions.values())))


class ReleaseCatalog:
    """The releases of each template source, listed once however many threads ask for them."""

    def __init__(self, lister: Callable[[str], list[str]]) -> None:
        self._lister = lister
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def get(self, source: str) -> Releases:
        """The releases of `source`; raises ReleaseError (every time) if they cannot be listed."""
        key = same_place_key(source)
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if entry is None:
                entry = self._entries[key] = _Entry()
        if owner:
            try:
                entry.releases = releases_from_tags(source, self._lister(source))
            except ReleaseError as error:
                entry.error = str(error)
            finally:
                entry.ready.set()
        entry.ready.wait()
        if entry.releases is None:
            raise ReleaseError(entry.error or "unknown error")
        return entry.releases

    @property
    def sources_listed(self) -> int:
        return len(self._entries)


@dataclass
class _Entry:
    ready: threading.Event = field(default_factory=threading.Event)
    releases: Releases | None = None
    error: str | None = None
