"""The answers file is what `copier update` and bots rely on: default name, source and release."""

from __future__ import annotations

from pathlib import Path

from .helpers.copier_runs import copier_copy, read_answers
from .helpers.template_repo import TEST_RELEASE, make_template_release


def test_answers_file_keeps_its_default_name_and_records_source_and_release(
    tmp_path: Path, template_release: Path
) -> None:
    project = tmp_path / "project"
    completed = copier_copy(project, src=template_release, vcs_ref=TEST_RELEASE)
    answers = read_answers(project)
    assert answers["_src_path"] == str(template_release)
    assert answers["_commit"] == TEST_RELEASE
    assert "WARNING" not in completed.stdout + completed.stderr


def test_copy_from_a_relative_path_warns_that_updates_would_not_find_it(tmp_path: Path) -> None:
    make_template_release(tmp_path / "template", "v1.0.0")
    project = tmp_path / "project"
    completed = copier_copy(project, src=Path("template"), vcs_ref="v1.0.0")
    output = completed.stdout + completed.stderr
    assert 'the template was given as the relative path "template"' in output
