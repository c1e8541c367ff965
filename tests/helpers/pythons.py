"""Finding the Python versions the generated projects need, before any test runs.

A generated project runs on every version in `supported_pythons` (copier/facts.yml) from its
`python_min` on: its `uv sync`, its CI matrix and its pre-commit hooks look for `python3.X` on
PATH. This module finds each version once per test session, in this order: on PATH, among
uv's own installations (`uv python find`), among pyenv's versions. A version found outside
PATH is linked into one folder that goes first on PATH for the session and every process it
starts (only `python3.X` names are linked, so `python3` stays the one that was selected).

A version found nowhere stops the session at once with one line naming what to install, rather
than minutes later when uv cannot download it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path


def _runs(python: Path | str, version: str) -> bool:
    try:
        completed = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return False
    return completed.returncode == 0 and completed.stdout.strip() == version


def _from_uv(version: str) -> Path | None:
    uv = shutil.which("uv")
    if uv is None:
        return None
    completed = subprocess.run(
        [uv, "python", "find", "--no-python-downloads", "--no-project", version],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    found = completed.stdout.strip()
    return Path(found) if completed.returncode == 0 and found else None


def _from_pyenv(version: str) -> Path | None:
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = sorted(
        (root / "versions").glob(f"{version}.*/bin/python{version}"),
        key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
    )
    return candidates[-1] if candidates else None


def missing_message(version: str) -> str:
    return (
        f"Python {version} is needed by the generated projects the tests run, and none was found "
        f"on PATH, by uv or by pyenv: install it (`uv python install {version}` or "
        f"`pyenv install {version}`), then run the tests again."
    )


def make_findable(versions: Iterable[str]) -> list[str]:
    """Put a `python3.X` for every version on PATH; return a message per version not found."""
    links = Path(tempfile.gettempdir()) / f"starter-template-pythons-{os.getuid()}"
    problems = []
    for version in versions:
        name = f"python{version}"
        on_path = shutil.which(name)
        if on_path and _runs(on_path, version):
            continue
        found = next(
            (python for python in (_from_uv(version), _from_pyenv(version)) if python),
            None,
        )
        if found is None or not _runs(found, version):
            problems.append(missing_message(version))
            continue
        links.mkdir(exist_ok=True)
        temporary = links / f".{name}.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(found)
        temporary.replace(links / name)
    if links.is_dir() and str(links) not in os.environ["PATH"].split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([str(links), os.environ["PATH"]])
    return problems
