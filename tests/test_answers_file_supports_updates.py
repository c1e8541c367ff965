"""The answers file is what `copier update` and bots rely on: default name, source and release,
and answers recorded as given (a blank one as empty); what copier says after a copy points at
parts of the project that exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers.copier_runs import copier_copy, read_answers
from .helpers.template_repo import TEST_RELEASE, make_template_release
from .helpers.variants import Variant, variant_params


def test_answers_file_keeps_its_default_name_and_records_source_and_release(
    tmp_path: Path, template_release: Path
) -> None:
    project = tmp_path / "project"
    completed = copier_copy(project, src=template_release, vcs_ref=TEST_RELEASE)
    answers = read_answers(project)
    assert answers["_src_path"] == str(template_release)
    assert answers["_commit"] == TEST_RELEASE
    assert "WARNING" not in completed.stdout + completed.stderr


@pytest.mark.slow
def test_copy_from_a_relative_path_warns_that_updates_would_not_find_it(tmp_path: Path) -> None:
    make_template_release(tmp_path / "template", "v1.0.0")
    project = tmp_path / "project"
    completed = copier_copy(project, src=Path("template"), vcs_ref="v1.0.0")
    output = completed.stdout + completed.stderr
    assert 'the template was given as the relative path\n"template"' in output


# Blank multi-line answers, as a prompt finished after pressing Enter leaves them.
BLANK_ANSWERS = {"problem_gap": "\n", "goals_primary": "  \n\t\n", "non_goals": "kept\n"}


@dataclass(frozen=True)
class Copied:
    project: Path
    output: str


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory, template_release: Path) -> Copied:
    """One `copier copy` through the CLI, with blank multi-line answers: its output and tree."""
    project = tmp_path_factory.mktemp("copied") / "project"
    completed = copier_copy(project, BLANK_ANSWERS, src=template_release, vcs_ref=TEST_RELEASE)
    return Copied(project, completed.stdout + completed.stderr)


@pytest.mark.slow
def test_a_blank_multi_line_answer_is_recorded_empty(copied: Copied) -> None:
    answers = read_answers(copied.project)
    assert (answers["problem_gap"], answers["goals_primary"]) == ("", "")
    assert answers["non_goals"] == "kept\n"
    assert answers["problem_statement"] == ""


def headings(markdown: Path) -> set[str]:
    return {
        line.lstrip("#").strip()
        for line in markdown.read_text(encoding="utf-8").splitlines()
        if re.match(r"^#{1,6} ", line)
    }


# `README.md, "Section"` or `README.md ("Section")`, quotes escaped in a shell string or not:
# a message pointing at a part of a document.
POINTER = re.compile(r'([\w./-]+\.md)(?:,| \(|, section) \\?"([^"\\]+)\\?"')


@pytest.mark.slow
def test_the_after_copy_message_points_at_sections_that_exist(copied: Copied) -> None:
    pointers = POINTER.findall(copied.output)
    assert ("README.md", "Updating from the template") in pointers
    for document, section in pointers:
        assert section in headings(copied.project / document), (document, section)


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_messages_in_the_generated_files_point_at_sections_that_exist(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    found = 0
    for path in sorted(project.rglob("*")):
        if not path.is_file() or ".git" in path.parts:
            continue
        for document, section in POINTER.findall(path.read_text(encoding="utf-8")):
            target = project / document
            assert target.is_file(), f"{path.name} points at {document}, which is not generated"
            assert section in headings(target), f"{path.name}: {document} has no {section!r}"
            found += 1
    assert found, "the scripts point at the README's help"


@pytest.mark.parametrize("variant", variant_params("defaults"))
def test_the_pointer_check_sees_a_section_that_is_missing(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    assert POINTER.findall('see README.md, "Template"') == [("README.md", "Template")]
    assert POINTER.findall('"More: README.md, \\"Template\\"."') == [("README.md", "Template")]
    assert "Template" not in headings(generated(variant) / "README.md")
