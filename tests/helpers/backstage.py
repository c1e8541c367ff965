"""Backstage's own entity validation (@backstage/catalog-model from the npm registry, installed
once per machine at a pinned version), run by node on what the tests hand it.

`entity_problems` applies what the Backstage catalog applies to a catalog-info.yaml: its entity
policies (the published JSON schemas of the entity envelope and of each kind, field formats),
the kind's validator, and the references of the spec (owner, system...), which must name
entities that could exist. `name_verdicts` asks Backstage whether strings are valid entity
names and namespaces, the oracle for the template's own validators.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from filelock import FileLock

from .processes import run

PACKAGE = "@backstage/catalog-model"
VERSION = "1.10.3"
CACHE = Path.home() / ".cache" / "starter-template-tests" / f"backstage-catalog-model-{VERSION}"
SCRIPT = Path(__file__).with_name("backstage_check.cjs")


def catalog_model() -> Path:
    """The node_modules folder holding the package, installed from the npm registry on first use."""
    modules = CACHE / "node_modules"
    CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(CACHE.parent / f"{CACHE.name}.lock"):
        if not (modules / PACKAGE / "package.json").is_file():
            npm = shutil.which("npm")
            assert npm, f"npm is needed to install {PACKAGE} (Debian: apt-get install npm)"
            run(
                [
                    npm,
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--ignore-scripts",
                    "--prefix",
                    CACHE,
                    f"{PACKAGE}@{VERSION}",
                ],
                CACHE,
            )
    return modules


def _node(mode: str, data: Any, workdir: Path) -> Any:
    node = shutil.which("node")
    assert node, "node is needed to run Backstage's validators (Debian: apt-get install nodejs)"
    data_file = workdir / f"backstage-{mode}.json"
    data_file.write_text(json.dumps(data))
    completed = run(
        [node, SCRIPT, mode, data_file],
        workdir,
        env={**os.environ, "NODE_PATH": str(catalog_model())},
    )
    return json.loads(completed.stdout)


def entity_problems(entities: Sequence[dict[str, Any]], workdir: Path) -> list[list[str]]:
    """For each entity (a parsed catalog-info.yaml document), what Backstage's catalog rejects."""
    result: list[list[str]] = _node("entities", list(entities), workdir)
    return result


def name_verdicts(names: Sequence[str], workdir: Path) -> dict[str, tuple[bool, bool]]:
    """Each string: (a valid entity name, a valid namespace), as Backstage decides."""
    verdicts = _node("names", list(names), workdir)
    return {
        name: (bool(verdict["name"]), bool(verdict["namespace"]))
        for name, verdict in zip(names, verdicts, strict=True)
    }
