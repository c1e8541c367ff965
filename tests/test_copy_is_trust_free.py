"""`copier copy --defaults` works through the real CLI without --trust: bots can run it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .helpers.copier_runs import copier_copy, read_answers
from .helpers.template_repo import TEMPLATE_ROOT


def test_template_declares_no_tasks_and_no_jinja_extensions() -> None:
    for path in [TEMPLATE_ROOT / "copier.yml", *(TEMPLATE_ROOT / "copier").glob("*.yml")]:
        for document in yaml.safe_load_all(path.read_text().replace("!include", "")):
            if isinstance(document, dict):
                assert not {"_tasks", "_jinja_extensions"} & set(document), path


@pytest.mark.slow
def test_copy_with_defaults_needs_no_trust_and_no_input(tmp_path: Path) -> None:
    destination = tmp_path / "fresh"
    completed = copier_copy(destination)
    assert "--trust" not in completed.stderr
    assert (destination / "pyproject.toml").is_file()
    answers = read_answers(destination)
    assert answers["project_name"] == "My Project"
    assert answers["package_name"] == "my_project"
    # Computed values are not stored: they are derived again on every update.
    assert not {"app_kind", "env_prefix", "python_versions"} & set(answers)


@pytest.mark.slow
def test_after_copy_message_names_the_bootstrap_script(tmp_path: Path) -> None:
    completed = copier_copy(tmp_path / "fresh")
    assert "scripts/bootstrap" in completed.stdout + completed.stderr
