"""Session fixtures: each variant is generated (and synced) once, however many tests use it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from .support import Variant, plain_template_copy, run

# Property tests: no deadline (each example may render a whole project). In CI (CI=true) the
# examples are derived from each test's name, so every run tries the same ones, and a failure
# prints the blob that replays it with @reproduce_failure.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def generated(copie_session: Any) -> Callable[[Variant], Path]:
    """Generate each variant once per session with pytest-copie, on first use."""
    cache: dict[str, Path] = {}

    def get(variant: Variant) -> Path:
        if variant.name not in cache:
            result = copie_session.copy(extra_answers=dict(variant.answers))
            assert result.exit_code == 0, result.exception
            assert result.project_dir is not None
            cache[variant.name] = Path(result.project_dir)
        return cache[variant.name]

    return get


@pytest.fixture(scope="session")
def synced(generated: Callable[[Variant], Path]) -> Callable[[Variant], Path]:
    """A generated variant with its environment installed by `uv sync` (once per session)."""
    cache: dict[str, Path] = {}

    def get(variant: Variant) -> Path:
        if variant.name not in cache:
            # A copy, so the pristine generated tree stays as Copier wrote it for other tests.
            pristine = generated(variant)
            project = pristine.with_name(f"{pristine.name}-synced")
            shutil.copytree(pristine, project)
            run(["uv", "sync"], project)
            cache[variant.name] = project
        return cache[variant.name]

    return get


@pytest.fixture(scope="session")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a plain folder: copier renders it without cloning (see support)."""
    return plain_template_copy(tmp_path_factory.mktemp("template"))
