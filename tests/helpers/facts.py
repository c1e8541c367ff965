"""The template's facts, read from their single sources for the tests to derive from.

- copier/facts.yml: supported Python versions, project types, stacks, platforms, CI services
  and every file a project can get (computed questions: the value is each one's `default`);
- the questions, from copier.yml and the files it includes;
- the plan's structure, from the plan check's own module (src/starter_template).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .template_repo import TEMPLATE_ROOT


def _load_questions() -> dict[str, dict[str, Any]]:
    """copier.yml and its !include files, merged in the order Copier reads them."""

    class Loader(yaml.SafeLoader):
        pass

    def include(_loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        return yaml.load((TEMPLATE_ROOT / str(node.value)).read_text(), Loader)  # noqa: S506

    Loader.add_constructor("!include", include)
    merged: dict[str, Any] = {}
    for document in yaml.load_all((TEMPLATE_ROOT / "copier.yml").read_text(), Loader):
        merged.update(document or {})
    return {key: value for key, value in merged.items() if not key.startswith("_")}


# Every question, in the order copier asks them (computed ones included).
QUESTIONS = _load_questions()


def _computed(name: str) -> Any:
    """A computed value of copier/facts.yml (its `default`), read with the questions."""
    return QUESTIONS[name]["default"]


SUPPORTED_PYTHONS: tuple[str, ...] = tuple(_computed("supported_pythons"))
PROJECT_TYPES_DATA: dict[str, dict[str, Any]] = _computed("project_types")
PROJECT_TYPES: tuple[str, ...] = tuple(PROJECT_TYPES_DATA)
CI_SERVICES: dict[str, dict[str, Any]] = _computed("ci_services")
STACKS: dict[str, dict[str, Any]] = _computed("stacks")
PLATFORM_LABELS: dict[str, str] = _computed("platform_labels")
CONTAINER_IMAGES: dict[str, Any] = _computed("container_images")
GITHUB_ACTIONS: dict[str, dict[str, str]] = _computed("github_actions")
HOOK_REPOSITORIES: dict[str, dict[str, Any]] = _computed("hook_repositories")
# The yes/no options; each project type's default for each is a field of project_types.
OPTIONS: tuple[str, ...] = ("container", "docs_site", "devcontainer")

# The section-1 answer keys of the planning document, in the order copier asks them.
SECTION_1_KEYS: tuple[str, ...] = tuple(
    yaml.safe_load((TEMPLATE_ROOT / "copier/overview.yml").read_text(encoding="utf-8"))
)


@dataclass(frozen=True)
class GeneratedFile:
    """One entry of `generated_files`: a path a project can get, its owner and its condition."""

    path: str  # with {package} and {answers_file} placeholders
    owner: str  # template, shared or seeded
    when: Mapping[str, Any]

    def wanted_for(self, conditions: Mapping[str, object]) -> bool:
        """Whether a project with these answers gets the file (unknown keys raise KeyError)."""
        for key, wanted in self.when.items():
            values = [wanted] if isinstance(wanted, str | bool) else list(wanted)
            if conditions[key] not in values:
                return False
        return True

    def rendered(self, package: str, answers_file: str = ".copier-answers.yml") -> str:
        return self.path.replace("{package}", package).replace("{answers_file}", answers_file)


GENERATED_FILES: tuple[GeneratedFile, ...] = tuple(
    GeneratedFile(entry["path"], entry["owner"], entry.get("when") or {})
    for entry in _computed("generated_files")
)
OWNERS = ("template", "shared", "seeded")

# A template file's path, as the path it renders to: `.jinja` dropped, a conditional part
# `{% if ... %}name{% endif %}` kept as `name`, the package and answers file as placeholders.
CONDITIONAL_PART = re.compile(r"\{% if [^%]+ %\}([^{}]*)\{% endif %\}")


def manifest_path(template_file: str) -> str:
    """The `generated_files` path of a file under template/ (given relative to the template)."""
    path = CONDITIONAL_PART.sub(r"\1", template_file.removeprefix("template/"))
    path = path.replace("{{package_name}}", "{package}")
    path = path.replace("{{_copier_conf.answers_file}}", "{answers_file}")
    return path.removesuffix(".jinja")


def owner_of(path: str) -> str | None:
    """The owner `generated_files` gives a manifest path, or None when it is not listed."""
    return next((entry.owner for entry in GENERATED_FILES if entry.path == path), None)
