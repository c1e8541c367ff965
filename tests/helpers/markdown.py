"""What the plan's Markdown shows: a CommonMark renderer (markdown-it-py, with GitHub's tables
and task lists) as the tests' oracle for how answers are written
(docs/decisions/0006-answers-are-inline-markdown.md)."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

# CommonMark (raw HTML allowed, as GitHub and GitLab allow safe tags), GitHub's tables and task
# lists: every block a line could open.
MARKDOWN = MarkdownIt("commonmark").enable("table").use(tasklists_plugin)
RENDERER = RendererHTML()


def answer_lines(answer: object) -> list[str]:
    """The lines of an answer the plan shows: its non-blank lines (a list answer: its items),
    without the whitespace around them, which Markdown never shows."""
    if isinstance(answer, str):
        lines = answer.splitlines()
    else:
        assert isinstance(answer, list), answer
        lines = [str(item) for item in answer]
    return [line.strip() for line in lines if line.strip()]


def opens_html_block(line: str) -> bool:
    """Whether the line, alone, would start an HTML block (CommonMark's kinds 1 to 7)."""
    tokens = MARKDOWN.parse(line.strip())
    return bool(tokens) and tokens[0].type == "html_block"


def shown_inline(line: str) -> str:
    """The HTML the line shows when rendered inline on its own: every inline construct as
    typed. Where the line would open an HTML block, its first `<` shows as a character and the
    rest renders inline as typed (raw HTML there would be a block, not a line)."""
    text = line.strip()
    if opens_html_block(text):
        return "&lt;" + str(MARKDOWN.renderInline(text[1:]))
    return str(MARKDOWN.renderInline(text))


def block_structure(text: str) -> list[tuple[str, str, str]]:
    """Every block the document holds, in order: headings, paragraphs, lists (bullet, ordered,
    task items), quotes, code blocks, HTML blocks, tables and rules, without their text."""
    return [
        (token.type, token.tag, str(token.attrGet("class") or ""))
        for token in MARKDOWN.parse(text)
        if token.type != "inline"
    ]


def _children_of(tokens: Sequence[Token], start: int) -> tuple[int, int]:
    """The token range inside the block that opens at `start` (up to its closing token)."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return start + 1, index
    raise AssertionError("unclosed block")


def field_items(text: str, label: str) -> list[str] | None:
    """The rendered HTML of each item of the numbered list under the field `- label` (none
    when the field holds its value on its own line), or None when there is no such field."""
    tokens = MARKDOWN.parse(text)
    for index, token in enumerate(tokens):
        if token.type != "list_item_open" or token.markup != "-":
            continue
        first, last = _children_of(tokens, index)
        inline = tokens[first + 1] if first + 1 < last else None
        if inline is None or inline.type != "inline":
            continue
        if inline.content != label and not inline.content.startswith(f"{label} "):
            continue
        items: list[str] = []
        position = first
        while position < last:
            item = tokens[position]
            if item.type == "list_item_open" and item.level == token.level + 2:
                inner_first, inner_last = _children_of(tokens, position)
                inlines = [t for t in tokens[inner_first:inner_last] if t.type == "inline"]
                assert len(inlines) == 1, f"an answer item holds {len(inlines)} blocks"
                items.append(RENDERER.renderInline(inlines[0].children or [], MARKDOWN.options, {}))
                position = inner_last
            position += 1
        return items
    return None
