"""Build-time additions to the documentation site: a MkDocs hook (see `hooks:` in mkdocs.yml).

- The plan page (docs/plan.md) gets the plan's progress table where it says
  `<!-- plan-progress -->`. The table comes from the plan check itself, `implementation-plan
  --summary`, run with uvx from the same source and revision as the pre-commit hook in
  .pre-commit-config.yaml, so the site and the commit checks always count alike.
- A link from a page of docs/ to a file of the repository outside docs/ (such as
  `../implementation.md`) is not a page of the site: the plan links to the plan page; any
  other file links to the repository's web view when CI says where that is (the environment
  variable DOCS_REPOSITORY_FILES, e.g. https://host/group/project/blob/<commit>/), and
  otherwise shows as its path.

Owned by the starter template: `copier update` keeps it current.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PLAN = ROOT / "implementation.md"
PLAN_PAGE = "plan.md"
MARKER = "<!-- plan-progress -->"
PLAN_HOOK_ID = "implementation-plan"

# An inline Markdown link or image: [text](target) or [text](target "title").
LINK = re.compile(r"(?P<head>!?\[[^\]]*\]\()(?P<target>[^)\s]+)(?P<tail>(?:\s+\"[^\"]*\")?\))")

log = logging.getLogger("mkdocs.hooks.plan_page")


def plan_check_source(config_text: str) -> str:
    """Where uvx installs the plan check from: the repository and revision that
    .pre-commit-config.yaml pins for the `implementation-plan` hook (or the package a local
    hook installs)."""
    repo = rev = ""
    local_hook = False
    for raw in config_text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        key, _, value = line.removeprefix("- ").partition(":")
        value = value.strip().strip("\"'")
        if key == "repo":
            repo, rev, local_hook = value, "", False
        elif key == "rev":
            rev = value
        elif key == "id":
            local_hook = repo == "local" and value == PLAN_HOOK_ID
            if value == PLAN_HOOK_ID and repo != "local":
                url = f"file://{repo}" if repo.startswith("/") else repo
                return f"git+{url}@{rev}"
        elif key == "additional_dependencies" and local_hook:
            # A local hook installs the plan check from the template's folder.
            return value.strip("[]").strip().strip("\"'")
    msg = f"no {PLAN_HOOK_ID} hook in .pre-commit-config.yaml"
    raise LookupError(msg)


def plan_summary() -> str:
    """The plan check's progress table of implementation.md, as Markdown."""
    source = plan_check_source((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    completed = subprocess.run(  # noqa: S603
        ["uvx", "--from", source, PLAN_HOOK_ID, "--summary", PLAN.name],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or not completed.stdout.strip():
        log.warning(
            "the plan check (%s) did not give the plan's progress: %s",
            source,
            (completed.stderr or completed.stdout).strip()[-2000:],
        )
        return "The plan's progress could not be counted at this build."
    lines = completed.stdout.strip().splitlines()
    # Its first line is a heading naming the file; the page has its own title.
    return "\n".join(lines[1:] if lines[0].startswith("#") else lines).strip()


def outside_link(page_path: str, target: str) -> str | None:
    """What a link from the page `page_path` (relative to docs/) to `target` becomes when it
    leaves docs/ for another file of the repository; None when it stays in docs/."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[#/]", target):
        return None
    path, _, anchor = target.partition("#")
    resolved = (DOCS / posixpath.dirname(page_path) / path).resolve()
    if resolved.is_relative_to(DOCS) or not resolved.is_relative_to(ROOT):
        return None
    if resolved == PLAN:
        return posixpath.relpath(PLAN_PAGE, posixpath.dirname(page_path) or ".")
    relative = resolved.relative_to(ROOT).as_posix()
    files = os.environ.get("DOCS_REPOSITORY_FILES", "")
    if not files:
        return ""
    return f"{files.rstrip('/')}/{relative}" + (f"#{anchor}" if anchor else "")


def on_page_markdown(markdown: str, /, *, page: Any, **_: Any) -> str:
    """MkDocs event: fill in the plan page and rewrite links that leave docs/."""
    page_path = str(page.file.src_uri)
    if page_path == PLAN_PAGE and MARKER in markdown:
        markdown = markdown.replace(MARKER, plan_summary())

    def rewrite(match: re.Match[str]) -> str:
        target = outside_link(page_path, match["target"])
        if target is None:
            return match[0]
        if not target:
            # No web view known (a local build): the link text and the path, unlinked.
            text = match["head"].lstrip("!")[1:-2]
            return f"{text} (`{match['target']}`)" if text else f"`{match['target']}`"
        return f"{match['head']}{target}{match['tail']}"

    return LINK.sub(rewrite, markdown)
