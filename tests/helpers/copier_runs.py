"""`copier copy` as users run it (the CLI, never --trust), or in-process, and the answers."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier
import yaml

from .processes import COPIER, run
from .template_repo import TEMPLATE_ROOT


def copier_copy(
    destination: Path,
    answers: Mapping[str, Any] | None = None,
    *extra_args: str,
    src: Path | str = TEMPLATE_ROOT,
    vcs_ref: str = "HEAD",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`copier copy --defaults` through the CLI, exactly as a user runs it (never --trust)."""
    data_args: list[str] = []
    for key, value in (answers or {}).items():
        # Copier reads a --data value as YAML; JSON is YAML, and says true or [a, b] in one
        # line (yaml.safe_dump would end a scalar with "...").
        rendered = value if isinstance(value, str) else json.dumps(value)
        data_args += ["--data", f"{key}={rendered}"]
    return run(
        [
            COPIER,
            "copy",
            "--defaults",
            "--vcs-ref",
            vcs_ref,
            *data_args,
            *extra_args,
            src,
            destination,
        ],
        cwd=destination.parent,
        check=check,
    )


def read_answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def render_in_process(
    src: Path,
    destination: Path,
    answers: Mapping[str, Any],
    *,
    only: str | None = None,
    vcs_ref: str | None = None,
) -> Path:
    """`copier copy --defaults --data ...` in this process, trust-free like the CLI: for
    projects a test needs as its starting point, where the CLI's own behaviour is not what
    it checks (the CLI's start alone costs most of a second).

    A refused answer raises ValueError("Validation error for question 'key': ...").
    `only`: write that one file (and the answers file) and skip rendering the others, as
    `copier copy --exclude '*' --exclude '!FILE'` would. `vcs_ref`: the release to copy
    (`--vcs-ref`); by default the newest tag, or the working tree of a folder.
    """
    exclude = ["*", f"!{only}"] if only else []
    copier.run_copy(
        str(src),
        destination,
        data=dict(answers),
        defaults=True,
        unsafe=False,
        quiet=True,
        vcs_ref=vcs_ref,
        exclude=exclude,
    )
    return destination


def refusal_of(src: Path, destination: Path, answers: Mapping[str, Any]) -> str | None:
    """Render, and return copier's message if it refuses an answer (None if it generates)."""
    try:
        render_in_process(src, destination, answers)
    except ValueError as error:
        return str(error)
    return None
