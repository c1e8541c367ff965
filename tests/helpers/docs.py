"""This repository's documentation as the tests read it, and a shell to run what it shows.

The pages are README.md and every Markdown file under docs/. They are parsed with a CommonMark
parser (markdown-it-py, tables enabled), so a command, link or table is found exactly where a
reader's renderer shows one, not by pattern matching on the raw text.

`DocShell` types the docs' commands as a reader would, in scratch folders; the pre-commit
hooks they trigger install from the offline mirrors through `hook_mirrors.hook_mirror_env`,
while every generated file stays exactly as generated.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .processes import run, tool_env
from .template_repo import TEMPLATE_ROOT

# The fenced blocks whose lines are commands to type: ```sh, ```bash, ```shell, and ```console,
# where only the lines after a `$ ` prompt are commands (the rest is their output).
SHELL_LANGUAGES = frozenset({"sh", "bash", "shell", "console"})
PROMPT = "$ "


def doc_pages() -> list[str]:
    """README.md and every Markdown page under docs/, relative to the repository."""
    pages = sorted(
        path.relative_to(TEMPLATE_ROOT).as_posix() for path in TEMPLATE_ROOT.glob("docs/**/*.md")
    )
    return ["README.md", *pages]


@functools.cache
def _tokens(page: str) -> tuple[Token, ...]:
    parser = MarkdownIt("commonmark").enable("table")
    return tuple(parser.parse((TEMPLATE_ROOT / page).read_text(encoding="utf-8")))


def _inline_tokens(page: str) -> list[tuple[int, Token]]:
    """Every token inside paragraphs, headings and table cells, with its block's first line."""
    return [
        (token.map[0] + 1 if token.map else 0, child)
        for token in _tokens(page)
        if token.type == "inline"
        for child in token.children or []
    ]


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, text and the line of its opening fence."""

    page: str
    line: int
    language: str
    text: str


def fenced_blocks(page: str) -> list[Block]:
    return [
        Block(
            page,
            token.map[0] + 1 if token.map else 0,
            token.info.split()[0] if token.info else "",
            token.content,
        )
        for token in _tokens(page)
        if token.type == "fence"
    ]


def strip_comment(line: str) -> str:
    """A shell line without its trailing `# comment` (a `#` outside quotes, after a blank)."""
    quote = ""
    escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip()
    return line.rstrip()


@dataclass(frozen=True)
class Located:
    """Something a docs page shows, where it shows it: `page:line: text`."""

    page: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text}"


class Command(Located):
    """One command a shell block shows, as a reader would type it (comment and prompt dropped)."""


def block_commands(block: Block) -> list[Command]:
    """The commands of one shell block; a line ending in `\\` continues on the next."""
    if block.language not in SHELL_LANGUAGES:
        return []
    commands = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(block.text.splitlines(), start=block.line + 1):
        if not pending:
            if block.language == "console":
                if not raw.startswith(PROMPT):
                    continue  # output of the command above
                raw = raw.removeprefix(PROMPT)
            start = number
        if raw.rstrip().endswith("\\"):
            pending.append(raw.rstrip().removesuffix("\\").strip())
            continue
        text = " ".join([*pending, strip_comment(raw).strip()]).strip()
        pending = []
        if text:
            commands.append(Command(block.page, start, text))
    return commands


def shell_commands(page: str) -> list[Command]:
    """Every command of every shell block of a page."""
    return [command for block in fenced_blocks(page) for command in block_commands(block)]


class Link(Located):
    """A relative link's target, as written (percent-escapes decoded)."""

    @property
    def target(self) -> str:
        return self.text


EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def relative_links(page: str) -> list[Link]:
    """Every link and image of a page that points inside this repository."""
    links = []
    for line, token in _inline_tokens(page):
        target = token.attrs.get("href") if token.type == "link_open" else None
        if token.type == "image":
            target = token.attrs.get("src")
        if isinstance(target, str) and not EXTERNAL.match(target):
            links.append(Link(page, line, unquote(target)))
    return links


def heading_text(page: str) -> list[str]:
    """The text of every heading of a page, as a reader sees it (formatting dropped)."""
    tokens = _tokens(page)
    texts = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            texts.append(
                "".join(
                    child.content
                    for child in inline.children or []
                    if child.type in {"text", "code_inline"}
                )
            )
    return texts


def anchors(page: str) -> set[str]:
    """The fragment ids GitHub and GitLab give a page's headings (`#updating-a-project`)."""
    seen: dict[str, int] = {}
    found = set()
    for text in heading_text(page):
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def tables(page: str) -> list[list[list[str]]]:
    """Every table of a page: its rows (header first), each a list of its cells' source text."""
    found: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in _tokens(page):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content.strip())
        elif token.type == "tr_close" and row is not None:
            found[-1].append(row)
            row = None
    return found


def table_with_header(page: str, *columns: str) -> list[list[str]]:
    """The rows (header excluded) of the one table of `page` whose header is `columns`."""
    matching = [table for table in tables(page) if tuple(table[0]) == columns]
    assert len(matching) == 1, f"{page}: expected one table headed {columns}, found {len(matching)}"
    return matching[0][1:]


CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> list[str]:
    """The text of every `code span` in a piece of Markdown source."""
    return CODE_SPAN.findall(text)


def inline_code(page: str) -> list[str]:
    """Every code span of a page's paragraphs, headings, lists and tables."""
    return [token.content for _line, token in _inline_tokens(page) if token.type == "code_inline"]


def named_block(page: str, name: str) -> Block:
    """The fenced block of `page` whose first line is the comment `# <name>`: a file it shows."""
    matching = [
        block for block in fenced_blocks(page) if block.text.splitlines()[:1] == [f"# {name}"]
    ]
    assert len(matching) == 1, f"{page}: expected one block starting '# {name}'"
    return matching[0]


# --- Running what the docs show ---------------------------------------------------------------


@dataclass(frozen=True)
class Runs:
    """A command of the docs, run as written plus arguments that keep it inside a test."""

    command: str
    extra: str
    why: str


@dataclass
class DocShell:
    """Runs commands as a reader types them: one bash per command, `cd` remembered.

    Each command must exit 0; its output is kept for the checks that follow it.
    """

    cwd: Path
    env: dict[str, str]
    outputs: dict[str, str] = field(default_factory=dict)

    def type(self, command: str, extra: str = "") -> str:
        words = shlex.split(command)
        if words[0] == "cd":
            (target,) = words[1:]
            self.cwd = (self.cwd / target).resolve()
            assert self.cwd.is_dir(), f"`{command}`: no such folder {self.cwd}"
            return ""
        line = f"{command} {extra}".strip()
        completed = run(["bash", "-c", line], self.cwd, env=self.env, check=False, timeout=900)
        output = completed.stdout + completed.stderr
        if completed.returncode != 0:
            pytest.fail(
                f"`{line}` exited {completed.returncode} in {self.cwd}\n{output[-6000:]}",
                pytrace=False,
            )
        self.outputs[command] = output
        return output


def reader_env(**extra: str) -> dict[str, str]:
    """The environment of a person at a terminal: this session's pytest variables removed."""
    env = {key: value for key, value in tool_env().items() if not key.startswith("PYTEST_")}
    env.update(extra)
    return env
