"""The generated implementation.md and README.md pass markdownlint-cli2 with its default rules
(line length excepted: their prose is not wrapped), for every project type and with answers
that hold Markdown; so does every other Markdown file a project gets (AGENTS.md, SECURITY.md,
CONTRIBUTING.md, the pull/merge request and issue templates, docs/...)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers.generated_files import project_files
from .helpers.markdownlint import lint
from .helpers.variants import Variant, variant_params
from .test_implementation_md import REALISTIC_PARAMS


@pytest.mark.slow
@pytest.mark.parametrize("variant", [*variant_params(), *REALISTIC_PARAMS])
def test_plan_and_readme_pass_markdownlint(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    project = generated(variant)
    status, findings = lint([project / "implementation.md", project / "README.md"], tmp_path)
    assert status == 0, findings


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params())
def test_every_markdown_file_of_a_project_passes_markdownlint(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    project = generated(variant)
    markdown = sorted(name for name in project_files(project) if name.endswith(".md"))
    assert {"AGENTS.md", "CONTRIBUTING.md", "SECURITY.md", "CLAUDE.md"} <= set(markdown)
    status, findings = lint([project / name for name in markdown], tmp_path)
    assert status == 0, findings


@pytest.mark.slow
def test_markdownlint_finds_what_the_plan_used_to_have(tmp_path: Path) -> None:
    """A heading without a blank line, a list after text, two titles, another bullet."""
    (tmp_path / "plan.md").write_text(
        "# Title\n\n## Part\n- Field: x\n  * answer\n\n"
        "# Second title\n\n### Deeper\n\ntext\n- item\n"
    )
    status, findings = lint([tmp_path / "plan.md"], tmp_path)
    assert status != 0
    for rule in ("MD022", "MD032", "MD004", "MD025", "MD001"):
        assert rule in findings, rule
    assert "MD013" not in findings
