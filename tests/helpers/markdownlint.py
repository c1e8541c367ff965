"""markdownlint-cli2 (npm), installed once per machine at a pinned version, and run with its
default rules but line length (MD013: prose lines in the generated documents are not wrapped)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from filelock import FileLock

from .processes import run

VERSION = "0.22.1"  # the newest release that runs on Node.js 20
CACHE = Path.home() / ".cache" / "starter-template-tests" / f"markdownlint-cli2-{VERSION}"
CONFIG = {"config": {"default": True, "MD013": False}}


def markdownlint_cli2() -> Path:
    """The markdownlint-cli2 command, installed from the npm registry on first use."""
    command = CACHE / "node_modules" / ".bin" / "markdownlint-cli2"
    CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(CACHE.parent / f"{CACHE.name}.lock"):
        if not command.is_file():
            npm = shutil.which("npm")
            assert npm, "npm is needed to install markdownlint-cli2 (Debian: apt-get install npm)"
            run(
                [
                    npm,
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    CACHE,
                    f"markdownlint-cli2@{VERSION}",
                ],
                CACHE,
            )
    return command


def lint(files: Sequence[Path], workdir: Path) -> tuple[int, str]:
    """markdownlint-cli2's exit status and findings for `files` (paths relative to `workdir`)."""
    config = workdir / ".markdownlint-cli2.jsonc"
    config.write_text(json.dumps(CONFIG))
    completed = run(
        [markdownlint_cli2(), "--config", config, *(str(file) for file in files)],
        workdir,
        check=False,
    )
    return completed.returncode, completed.stdout + completed.stderr
