"""The docs_site option: a documentation site built strictly from docs/, offline (no network
during the build: nothing is fetched by the theme or the plugins), with the API reference, the
decision records and the plan's progress counted by the plan check itself."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from .helpers.processes import run, tool_env
from .helpers.variants import VARIANTS, Variant, variant_params

DOCS = [name for name, variant in VARIANTS.items() if variant.option("docs_site")]
NO_DOCS = [name for name, variant in VARIANTS.items() if not variant.option("docs_site")]
HOOK = "docs/hooks/plan_page.py"


def load_hook(project: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_page", project / HOOK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def offline(command: list[str]) -> list[str]:
    """The command in a network namespace of its own: no network but loopback."""
    return ["unshare", "--map-root-user", "--net", *command]


@pytest.fixture(scope="session")
def built_sites(
    generated: Callable[[Variant], Path], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Variant], tuple[Path, dict[str, str]]]:
    """Each docs variant with its docs group synced and its site built offline (once)."""
    cache: dict[str, tuple[Path, dict[str, str]]] = {}

    def get(variant: Variant) -> tuple[Path, dict[str, str]]:
        if variant.name not in cache:
            project = tmp_path_factory.mktemp(f"site-{variant.name}") / "project"
            shutil.copytree(generated(variant), project)
            env = tool_env(NO_MKDOCS_2_WARNING="1")
            run(["uv", "sync", "--group", "docs"], project, env=env)
            # Online first: uv caches the plan check at the pinned revision, as CI does.
            source = load_hook(project).plan_check_source(
                (project / ".pre-commit-config.yaml").read_text()
            )
            run(["uvx", "--from", source, "implementation-plan", "--help"], project, env=env)
            build = ["uv", "run", "--frozen", "--group", "docs", "mkdocs", "build", "--strict"]
            offline_env = {**env, "UV_OFFLINE": "1"}
            completed = run(offline(build), project, env=offline_env, check=False)
            assert completed.returncode == 0, completed.stdout + completed.stderr
            cache[variant.name] = (project, offline_env)
        return cache[variant.name]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(*DOCS))
def test_site_builds_strictly_offline_with_reference_decisions_and_plan_progress(
    variant: Variant, built_sites: Callable[[Variant], tuple[Path, dict[str, str]]]
) -> None:
    project, _ = built_sites(variant)
    site = project / "site"
    plan = (site / "plan" / "index.html").read_text()
    # The plan check's own table, rows per section and phase.
    assert "Fields filled" in plan
    assert "Checklist done" in plan
    assert "1. Project Overview" in plan
    assert "PHASE 12" in plan
    assert "<!-- plan-progress -->" not in plan
    reference = (site / "reference" / "index.html").read_text()
    assert "load_settings" in reference  # from the package's docstrings
    assert (site / "adr" / "0001-record-architecture-decisions" / "index.html").is_file()
    index = (site / "index.html").read_text()
    # docs/index.md links to ../implementation.md: in the site, to the plan page.
    assert 'href="plan/"' in index
    assert "../implementation.md" not in index
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis.com" not in text, page  # no web font from a third party


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params(DOCS[0]))
def test_strict_build_fails_on_a_broken_link(
    variant: Variant,
    built_sites: Callable[[Variant], tuple[Path, dict[str, str]]],
    tmp_path: Path,
) -> None:
    """The build above can fail: a link to a page that does not exist stops it."""
    built, env = built_sites(variant)
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    index = project / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [the guide](guide.md).\n")
    build = ["uv", "run", "--frozen", "--group", "docs", "mkdocs", "build", "--strict"]
    completed = run(offline(build), project, env=env, check=False)
    assert completed.returncode != 0
    assert "guide.md" in completed.stdout + completed.stderr


@pytest.mark.parametrize("variant", variant_params(*DOCS))
def test_site_configuration_is_strict_and_publishes_from_the_default_branch(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    assert config["strict"] is True
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False
    assert config["hooks"] == [HOOK]
    assert any("mkdocstrings" in plugin for plugin in config["plugins"] if isinstance(plugin, dict))
    assert "site/" in (project / ".gitignore").read_text().splitlines()
    if variant.ci == "github":
        workflow = yaml.safe_load((project / ".github/workflows/docs.yml").read_text())
        build_steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
        assert "uv run --frozen --group docs mkdocs build --strict" in build_steps
        deploy = workflow["jobs"]["deploy"]
        assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
        assert deploy["environment"]["name"] == "github-pages"
    else:
        pipeline = yaml.safe_load((project / ".gitlab/docs.yml").read_text())
        assert "--strict" in " ".join(pipeline["pages"]["script"])
        assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
        assert pipeline["pages"]["artifacts"]["paths"] == ["public"]


@pytest.mark.parametrize("variant", variant_params(*DOCS[:1]))
def test_plan_page_reads_the_plan_check_from_the_pre_commit_pin(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    hook = load_hook(generated(variant))
    config = (
        "repos:\n"
        "  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.30.1\n"
        "    hooks:\n      - id: gitleaks\n"
        '  - repo: "https://git.example.com/platform/starter.git"  # the template\n'
        '    rev: "v2.1.0"\n    hooks:\n      - id: implementation-plan\n'
    )
    assert (
        hook.plan_check_source(config) == "git+https://git.example.com/platform/starter.git@v2.1.0"
    )
    local = (
        "repos:\n  - repo: local\n    hooks:\n      - id: implementation-plan\n"
        '        additional_dependencies: ["/srv/templates/starter"]\n'
    )
    assert hook.plan_check_source(local) == "/srv/templates/starter"
    path = (
        "repos:\n  - repo: /srv/starter\n    rev: abc123\n"
        "    hooks:\n      - id: implementation-plan\n"
    )
    assert hook.plan_check_source(path) == "git+file:///srv/starter@abc123"
    with pytest.raises(LookupError):
        hook.plan_check_source("repos: []\n")


@pytest.mark.parametrize("variant", variant_params(*NO_DOCS[:2]))
def test_without_the_docs_site_option_there_is_no_site(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    assert not (project / "mkdocs.yml").exists()
    assert not (project / "docs" / "hooks").exists()
    assert "mkdocs" not in (project / "pyproject.toml").read_text()
