"""What the plan's Markdown shows: the tests' oracles for how answers are written."""

from __future__ import annotations

import re

# How implementation.md writes one answer line (answer_field in copier/macros.jinja): the
# tests' oracle for that macro. A line whose first non-blank character could open a Markdown
# block gets one backslash before it, so it reads as typed and adds no heading or task item.
_BLOCK_START = re.compile(r"^(\s*)([#>+*=_`~<|\\-])")
_ORDERED_LIST = re.compile(r"^(\s*[0-9]{1,9})([.)])")


def plan_bullet(line: str) -> str:
    """The text after `  * ` that implementation.md shows for one line of an answer."""
    return _ORDERED_LIST.sub(r"\1\\\2", _BLOCK_START.sub(r"\1\\\2", line.rstrip()))
