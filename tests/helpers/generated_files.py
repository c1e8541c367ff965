"""Reading a generated tree: its files, its parsed config files, what whitespace hooks would fix."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml


def project_files(project: Path) -> set[str]:
    """Every file of a generated project, relative to it, outside tool folders."""
    skip = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and not skip.intersection(path.relative_to(project).parts)
    }


STRUCTURED_SUFFIXES = {".toml": "toml", ".yml": "yaml", ".yaml": "yaml", ".json": "json"}


def parse_structured_files(project: Path) -> dict[str, Any]:
    """Every TOML, YAML and JSON file of a generated project, parsed; failing names the file."""
    parsed: dict[str, Any] = {}
    for name in sorted(project_files(project)):
        kind = STRUCTURED_SUFFIXES.get(Path(name).suffix)
        if kind is None:
            continue
        text = (project / name).read_text(encoding="utf-8")
        try:
            if kind == "toml":
                parsed[name] = tomllib.loads(text)
            elif kind == "yaml":
                parsed[name] = list(yaml.safe_load_all(text))
            else:
                parsed[name] = json.loads(text)
        except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as error:
            pytest.fail(f"{name} is not valid {kind}: {error}\n{text}", pytrace=False)
    return parsed


def whitespace_fixer_complaints(project: Path) -> list[str]:
    """What pre-commit's trailing-whitespace and end-of-file-fixer hooks would change.

    Both rewrite files on the first commit, so a generated file they would touch fails the
    first `pre-commit run --all-files`, and may lose what a person typed.
    """
    complaints = []
    for name in sorted(project_files(project)):
        data = (project / name).read_bytes()
        if not data:
            continue
        if not data.endswith(b"\n") or data.endswith(b"\n\n"):
            complaints.append(f"{name}: does not end with exactly one newline")
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.rstrip(b"\r") != line.rstrip(b"\r").rstrip():
                complaints.append(f"{name}:{number}: trailing whitespace {line[-20:]!r}")
    return complaints
