"""What the property tests type into the answers: arbitrary text, mixed with what people paste
and what trips up TOML, YAML, JSON, Markdown and Jinja."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from .facts import SECTION_1_KEYS

# The multi-line free-text answers of section 1.
FREE_TEXT_KEYS = tuple(
    key for key in SECTION_1_KEYS if key not in {"project_name", "project_type", "platforms"}
)
# Free-text answers that must fit on one line; their validators refuse the rest.
ONE_LINE_KEYS = ("project_name", "author_name", "organisation", "owners", "security_contact")

# What people paste, and what trips up TOML, YAML, JSON, Markdown and Jinja.
FRAGMENTS = (
    '"',
    "'",
    "\\",
    '\\"',
    '"""',
    "'''",
    ":",
    ": ",
    "#",
    "# ",
    "## ",
    "- [ ] ",
    "- [x] ",
    "* ",
    "1. ",
    "> ",
    "---",
    "...",
    "```",
    "<!-- ",
    "{{ x }}",
    "{% if %}",
    "{#",
    "${{ github.token }}",
    "[[section]]",
    "{ a = 1 }",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "0x10",
    "0o17",
    "1e3",
    "2026-01-31",
    "true",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    "%",
    "@",
    "`",
    ",",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\u00a0",
    "é",
    "日本語",
    "Ωμέγα",
    "עברית",
    "😀",
    "👩‍💻",
    "\N{MATHEMATICAL FRAKTUR CAPITAL U}\N{MATHEMATICAL FRAKTUR SMALL N}",
    " ",
    "   ",
    "word " * 400,
)
any_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS)), max_size=10).map(
    "".join
)


# For tests that render a whole project per example (about half a second each).
SLOW_EXAMPLES = settings(
    max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
