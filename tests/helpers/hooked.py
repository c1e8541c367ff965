"""A generated project as a team starts it: a git repository, hooks installed, first commit."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .processes import run


@dataclass(frozen=True)
class HookedProject:
    """A generated project as a team starts it: a git repo, hooks installed, first commit made.

    Its pre-commit configuration points at offline mirrors of the hook repositories.
    """

    path: Path
    env: dict[str, str]
    # `scripts/bootstrap`, committing every file through every hook (as `pre-commit run
    # --all-files` would check them: the first commit stages them all).
    first_commit: subprocess.CompletedProcess[str]
    first_commit_seconds: float
    cold: bool  # whether the first commit had to install the hook environments
    head: str
    pre_commit: tuple[str, ...]  # the command that runs this project's pre-commit

    def run_pre_commit(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run([*self.pre_commit, *args], self.path, env=self.env, check=check)

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run(["git", *args], self.path, env=self.env, check=check)

    @contextmanager
    def scratch(self) -> Iterator[HookedProject]:
        """Use the committed project freely: afterwards it is back at its first commit."""
        assert self.first_commit.returncode == 0, self.first_commit.stdout
        try:
            yield self
        finally:
            self.git("merge", "--abort", check=False)
            self.git("switch", "--quiet", "--force", "main")
            self.git("reset", "--quiet", "--hard", self.head)
            self.git("clean", "--quiet", "--force", "-d")
            for branch in self.git("branch", "--format=%(refname:short)").stdout.split():
                if branch != "main":
                    self.git("branch", "--quiet", "-D", branch)
