"""Reading a repository's few files and the date of its last commit, never writing to it.

- A folder with a work tree: the files as they are on disk, the date from `git log -1`.
- A bare repository (a mirror): the files and the date from HEAD, in one `git cat-file`.
- A URL (anything `git clone` takes): a shallow, blobless, bare clone into a temporary folder
  (the commit and its trees only), then one fetch of just the wanted blobs, then one
  `git cat-file`. No checkout, and no other file's content, is ever downloaded. A server that
  does not support partial clone sends the shallow clone whole instead, which still works.

git runs with GIT_OPTIONAL_LOCKS=0 (no opportunistic index refresh), never prompts for a
password (GIT_TERMINAL_PROMPT=0, ssh in batch mode), and the user's git configuration
(credential helpers, URL rewrites) applies as for any clone.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Final

from . import model
from .model import Problem

DEFAULT_TIMEOUT: Final = 120.0


# The transports git may use. Template locations come from answers files, which any team can
# edit: a remote helper such as `ext::` would run a command. Set GIT_ALLOW_PROTOCOL yourself
# to allow another one.
ALLOWED_PROTOCOLS: Final = "file:git:http:https:ssh"


def git_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: no prompts, no optional locks, known transports only,
    messages in English."""
    env = dict(os.environ if base is None else base)
    env.update(
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GCM_INTERACTIVE="never",
        LC_ALL="C",
        LANGUAGE="C",
    )
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env.setdefault("GIT_ALLOW_PROTOCOL", ALLOWED_PROTOCOLS)
    return env


@dataclass
class Snapshot:
    """What was read from one repository."""

    files: dict[str, str | None] = field(default_factory=dict)  # None: not in the repository
    last_commit: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, code: str, message: str) -> None:
        self.problems.append(Problem(code, message))


class _GitError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _git(
    args: Sequence[str | Path],
    env: Mapping[str, str],
    timeout: float,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(  # noqa: S603 - an argument list, no shell
            ["git", *map(str, args)],  # noqa: S607 - the user's git, from PATH
            input=stdin,
            capture_output=True,
            env=dict(env),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise _GitError(model.TIMEOUT, f"git gave no answer within {timeout:g} s") from error
    except OSError as error:
        raise _GitError(model.GIT_FAILED, f"cannot run git: {error}") from error


def _commit_date(commit: bytes) -> str | None:
    """The committer date of a raw commit object, as `git log --format=%cI` writes it."""
    for line in commit.split(b"\n"):
        if not line:
            return None
        if line.startswith(b"committer "):
            try:
                stamp, offset = line.rsplit(b" ", 2)[1:]
                sign = -1 if offset.startswith(b"-") else 1
                hours, minutes = int(offset[1:3]), int(offset[3:5])
                zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
                return datetime.fromtimestamp(int(stamp), zone).isoformat()
            except (ValueError, IndexError, OverflowError):
                return None
    return None


def _decode(snapshot: Snapshot, name: str, data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        snapshot.problem(model.UNREADABLE_FILE, f"{name} is not UTF-8 text ({error.reason})")
        return None


def _batch(
    git_dir: Path, wanted: Sequence[str], env: Mapping[str, str], timeout: float
) -> dict[str, tuple[str, bytes] | None]:
    """`git cat-file --batch`: each object name's type and content, None when missing."""
    request = "".join(f"{name}\n" for name in wanted).encode()
    done = _git(["--git-dir", git_dir, "cat-file", "--batch"], env, timeout, stdin=request)
    if done.returncode != 0:
        raise _GitError(model.GIT_FAILED, _last_line(done.stderr.decode(errors="replace")))
    out = done.stdout
    found: dict[str, tuple[str, bytes] | None] = {}
    position = 0
    for name in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].decode(errors="replace")
        position = end + 1
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            found[name] = None
            continue
        _oid, kind, size = header.rsplit(" ", 2)
        length = int(size)
        found[name] = (kind, out[position : position + length])
        position += length + 1
    return found


def _read_from_head(
    snapshot: Snapshot,
    git_dir: Path,
    names: Sequence[str],
    objects: Mapping[str, str] | None,
    env: Mapping[str, str],
    timeout: float,
) -> None:
    """Fill the snapshot from HEAD of a bare repository: its date and the named files.

    `objects` maps the files HEAD has to their blob ids (a partial clone, where asking for a
    missing object would make git go and look for it on the server); None looks each name up
    as HEAD:name.
    """
    keys = {name: (f"HEAD:{name}" if objects is None else objects.get(name)) for name in names}
    wanted = ["HEAD", *(key for key in keys.values() if key is not None)]
    found = _batch(git_dir, wanted, env, timeout)
    head = found["HEAD"]
    if head is None or head[0] != "commit":
        snapshot.problem(model.NO_COMMITS, "the repository has no commit yet")
        snapshot.files = dict.fromkeys(names)
        return
    snapshot.last_commit = _commit_date(head[1])
    for name, key in keys.items():
        blob = found[key] if key is not None else None
        snapshot.files[name] = (
            _decode(snapshot, name, blob[1]) if blob is not None and blob[0] == "blob" else None
        )


def _is_bare(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _read_disk(snapshot: Snapshot, folder: Path, names: Sequence[str]) -> None:
    for name in names:
        try:
            data = (folder / name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            snapshot.files[name] = None
            continue
        except OSError as error:
            snapshot.problem(model.UNREADABLE_FILE, f"cannot read {name}: {error.strerror}")
            snapshot.files[name] = None
            continue
        snapshot.files[name] = _decode(snapshot, name, data)


def _log_date(
    snapshot: Snapshot, folder: Path, at_root: bool, env: Mapping[str, str], timeout: float
) -> None:
    # Below the top of a repository (a project in a monorepo): the last commit touching it.
    limit = [] if at_root else ["--", "."]
    done = _git(["-C", folder, "log", "-1", "--format=%cI", *limit], env, timeout)
    error = done.stderr.decode(errors="replace")
    if done.returncode == 0:
        snapshot.last_commit = done.stdout.decode().strip() or None
        if snapshot.last_commit is None:
            snapshot.problem(model.NO_COMMITS, "no commit touches this folder yet")
    elif "not a git repository" in error:
        snapshot.problem(model.NOT_A_GIT_REPOSITORY, "not a git repository (no commit date)")
    elif "does not have any commits" in error:
        snapshot.problem(model.NO_COMMITS, "the repository has no commit yet")
    else:
        snapshot.problem(model.GIT_FAILED, f"git log failed: {_last_line(error)}")


def read_local(
    path: Path, names: Sequence[str], *, env: Mapping[str, str], timeout: float = DEFAULT_TIMEOUT
) -> Snapshot:
    """Read a folder: a git work tree, a bare repository, or a plain folder."""
    snapshot = Snapshot()
    if not path.exists():
        snapshot.problem(model.PATH_MISSING, f"{path} does not exist")
        return snapshot
    if not path.is_dir():
        snapshot.problem(model.NOT_A_DIRECTORY, f"{path} is not a folder")
        return snapshot
    try:
        if not (path / ".git").exists() and _is_bare(path):
            _read_from_head(snapshot, path, names, None, env, timeout)
        else:
            _read_disk(snapshot, path, names)
            _log_date(snapshot, path, (path / ".git").exists(), env, timeout)
    except _GitError as error:
        snapshot.problem(error.code, error.message)
    return snapshot


def _blob_ids(
    git_dir: Path, names: Sequence[str], env: Mapping[str, str], timeout: float
) -> dict[str, str]:
    """The blob ids of the named files at HEAD, read from the trees (no blob is fetched)."""
    done = _git(["--git-dir", git_dir, "ls-tree", "-z", "HEAD", "--", *names], env, timeout)
    if done.returncode != 0:
        return {}
    ids: dict[str, str] = {}
    for entry in done.stdout.split(b"\0"):
        if b"\t" in entry:
            meta, name = entry.split(b"\t", 1)
            kind, oid = meta.split(b" ")[1:3]
            if kind == b"blob":
                ids[name.decode(errors="replace")] = oid.decode()
    return ids


def read_url(
    url: str,
    names: Sequence[str],
    *,
    env: Mapping[str, str],
    timeout: float = DEFAULT_TIMEOUT,
    scratch: Path | None = None,
) -> Snapshot:
    """Read a repository at a URL through a partial clone in a temporary folder."""
    snapshot = Snapshot()
    with tempfile.TemporaryDirectory(prefix="starter-fleet-", dir=scratch) as temporary:
        git_dir = Path(temporary) / "repository.git"
        # An empty template folder: no sample hooks copied into every clone.
        empty = Path(temporary) / "no-template"
        empty.mkdir()
        try:
            clone = _git(
                [
                    "clone",
                    "--quiet",
                    "--bare",
                    "--depth=1",
                    "--filter=blob:none",
                    "--no-tags",
                    "--single-branch",
                    f"--template={empty}",
                    "--",
                    url,
                    git_dir,
                ],
                env,
                timeout,
            )
            if clone.returncode != 0:
                message = _last_line(clone.stderr.decode(errors="replace"))
                snapshot.problem(model.CLONE_FAILED, f"git clone failed: {message}")
                return snapshot
            objects = _blob_ids(git_dir, names, env, timeout)
            config = (git_dir / "config").read_text(encoding="utf-8", errors="replace")
            if objects and "promisor = true" in config:
                # One round trip for all wanted blobs (git would fetch them one by one).
                _git(
                    [
                        "--git-dir",
                        git_dir,
                        "-c",
                        "fetch.negotiationAlgorithm=noop",
                        "fetch",
                        "--quiet",
                        "--no-tags",
                        "--no-write-fetch-head",
                        "--recurse-submodules=no",
                        "--filter=blob:none",
                        "--stdin",
                        "origin",
                    ],
                    env,
                    timeout,
                    stdin="".join(f"{oid}\n" for oid in objects.values()).encode(),
                )
            _read_from_head(snapshot, git_dir, names, objects, env, timeout)
        except _GitError as error:
            snapshot.problem(error.code, error.message)
    return snapshot
