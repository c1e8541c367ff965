"""CODEOWNERS as GitHub and GitLab read it: a careful check of its syntax, and who owns a path.

The syntax, from the two platforms' documentation ("About code owners" on GitHub, "Code Owners
syntax" on GitLab), written here independently of the template's own validators:

- a line is blank, a comment (`#` first), or a path pattern followed by its owners, separated
  by whitespace; a pattern may hold an escaped space (`\\ `) or start with an escaped `\\#`;
- GitHub rejects `!` negation and `[ ]` character ranges in patterns; GitLab reads `[Section]`
  headers (with `^` for optional sections, `[2]` for an approval count, default owners after
  them), and from version 17.10 `!` exclusions;
- an owner is an e-mail address or a handle: on GitHub a user (`@name`: letters, digits and
  single hyphens, at most 39 characters) or a team (`@organisation/team-slug`); on GitLab a
  user or a group path of any depth (`@group/subgroup`), or a role (`@@maintainer`).

A pattern line without owners is valid on both (it clears ownership), but the generated file
must never have one: every file it names has owners. `owners_of` says who owns a path by the
last matching line, through the `codeowners` package (a port of GitHub's own matcher).
"""

from __future__ import annotations

import re

from codeowners import CodeOwners

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
GITHUB_NAME = r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}"
GITHUB_OWNER = re.compile(rf"^@{GITHUB_NAME}(?:/[A-Za-z0-9_-]+)?$")
GITLAB_PART = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
GITLAB_OWNER = re.compile(rf"^(?:@{GITLAB_PART}(?:/{GITLAB_PART})*|@@[a-z_]+)$")
GITLAB_SECTION = re.compile(r"^\^?\[[^\]\n]+\](?:\[\d+\])?(?:\s+(?P<owners>.*))?$")
UNESCAPED_SPACE = re.compile(r"(?<!\\)\s+")
PLATFORMS = ("github", "gitlab")


def _owner_problem(owner: str, platform: str) -> str | None:
    if EMAIL.match(owner):
        return None
    pattern = GITHUB_OWNER if platform == "github" else GITLAB_OWNER
    if pattern.match(owner):
        return None
    return f"{owner!r} is not an e-mail address or a {platform} user, team or group"


def syntax_problems(text: str, platform: str) -> list[str]:
    """Every line `platform` (github or gitlab) would reject or ignore, with its number."""
    assert platform in PLATFORMS, platform
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if raw != raw.rstrip() or "\t" in raw:
            problems.append(f"line {number}: trailing whitespace or a tab")
        if platform == "gitlab" and (section := GITLAB_SECTION.match(line)):
            owners = (section["owners"] or "").split()
        else:
            pattern, *owners = UNESCAPED_SPACE.split(line)
            if pattern.startswith("!") and platform == "github":
                problems.append(f"line {number}: GitHub does not support negation ({pattern})")
            if re.search(r"(?<!\\)[\[\]]", pattern):
                problems.append(f"line {number}: character ranges are not supported ({pattern})")
            if not owners:
                problems.append(f"line {number}: {pattern} has no owners")
        for owner in owners:
            if owner.startswith("#"):  # the rest of the line is a comment
                break
            if problem := _owner_problem(owner, platform):
                problems.append(f"line {number}: {problem}")
    return problems


def owners_of(text: str, path: str) -> list[str]:
    """The owners of `path`: those of the last line whose pattern matches it."""
    return [owner for _kind, owner in CodeOwners(text).of(path)]
