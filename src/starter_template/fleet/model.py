"""What the fleet report knows about each repository, and its JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

# Problem codes, stable for automation; docs/fleet.md explains each one.
PATH_MISSING: Final = "path-missing"
NOT_A_DIRECTORY: Final = "not-a-directory"
NOT_A_GIT_REPOSITORY: Final = "not-a-git-repository"
NO_COMMITS: Final = "no-commits"
GIT_FAILED: Final = "git-failed"
CLONE_FAILED: Final = "clone-failed"
TIMEOUT: Final = "timeout"
UNREADABLE_FILE: Final = "unreadable-file"
NO_ANSWERS_FILE: Final = "no-answers-file"
CORRUPT_ANSWERS: Final = "corrupt-answers"
OTHER_TEMPLATE: Final = "other-template"
NO_TEMPLATE_SOURCE: Final = "no-template-source"
RELATIVE_TEMPLATE_SOURCE: Final = "relative-template-source"
TEMPLATE_UNREACHABLE: Final = "template-unreachable"
NO_TEMPLATE_VERSION: Final = "no-template-version"
RELEASE_MISSING: Final = "release-missing"
NOT_A_RELEASE: Final = "not-a-release"
UNRELEASED_COMMIT: Final = "unreleased-commit"
NO_PLAN: Final = "no-plan"
DAMAGED_PLAN: Final = "damaged-plan"
# A bug met on one repository: reported for it, the others are still read.
INTERNAL_ERROR: Final = "internal-error"


@dataclass(frozen=True)
class Problem:
    """Something wrong with one repository: a stable code and a sentence for people."""

    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class PartProgress:
    """The progress of one section or phase of the plan."""

    key: str
    title: str
    fields_filled: int
    fields_total: int
    checklist_done: int
    checklist_total: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PlanProgress:
    """How far implementation.md has come, from the plan check's own parser."""

    fields_filled: int
    fields_total: int
    checklist_done: int
    checklist_total: int
    damaged: bool
    sections: tuple[PartProgress, ...] = ()
    phases: tuple[PartProgress, ...] = ()

    def to_json(self) -> dict[str, Any]:
        # Every field in order; the parts as lists, as JSON has them.
        return {
            **asdict(self),
            "sections": [part.to_json() for part in self.sections],
            "phases": [part.to_json() for part in self.phases],
        }


@dataclass
class RepoReport:
    """Everything the report says about one repository."""

    repository: str
    kind: str = "path"  # "path" (a folder on this machine) or "url" (read with git)
    project_name: str | None = None
    project_type: str | None = None
    stack: str | None = None
    ci: str | None = None
    template_source: str | None = None
    template_version: str | None = None
    latest_template_version: str | None = None
    releases_behind: int | None = None
    newer_releases: list[str] = field(default_factory=list)
    last_commit: str | None = None
    plan: PlanProgress | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, code: str, message: str) -> None:
        self.problems.append(Problem(code, message))

    @property
    def on_latest(self) -> bool:
        return self.releases_behind == 0

    def to_json(self) -> dict[str, Any]:
        """Every field in order, the plan and the problems as objects."""
        return asdict(self)
