"""A reader for the YAML that Copier writes into `.copier-answers.yml`, standard library only.

Copier writes the answers file with `to_nice_yaml` (PyYAML's `yaml.dump`, block style): a
mapping of plain, single- or double-quoted scalars, which PyYAML folds over several lines when
they are long or hold line breaks, block sequences (often at the indentation of their key),
nested block mappings, empty `[]` and `{}`, and, when every scalar is double-quoted, standard
tags such as `!!int "1"`. People also edit the file by hand: literal and folded block scalars
(`|-`, `>`) and one-line flow collections (`[a, b]`) are read too.

Anything else (anchors and aliases, other tags, complex keys, several documents, duplicate keys,
tabs in indentation, unresolved merge-conflict markers...) raises `AnswersError` with the line
it found it on: the fleet report shows it as a problem of that repository, it never guesses.

Plain scalars resolve as PyYAML's safe loader resolves them (YAML 1.1: `yes` and `on` are
booleans, `012` is octal, `1_000` is an integer), except timestamps, which stay strings.
"""

from __future__ import annotations

import math
import re
from typing import Final

# What the reader returns: the JSON-like values an answers file can hold.
Value = str | int | float | bool | None | list["Value"] | dict[str, "Value"]

# PyYAML's line breaks: \r\n, \r and NEL read as "\n"; LS and PS stay themselves.
_BREAKS: Final = "\r\n\x85\u2028\u2029"
_END: Final = "\0"
_LOOK_AHEAD: Final = 8  # the furthest peek: a document marker and what follows it
_WHITESPACE: Final = " \t"
# Runs of characters scanned at once: a plain scalar's text up to a space, a line break or
# `: `; a quoted scalar's text up to a space, a line break, its quote or an escape.
_PLAIN_RUN: Final = re.compile(
    r"(?:[^ \t\r\n\x85\u2028\u2029\0:]|:(?![ \t\r\n\x85\u2028\u2029\0]))+"
)
_SINGLE_RUN: Final = re.compile(r"[^' \t\r\n\x85\u2028\u2029\0]+")
_DOUBLE_RUN: Final = re.compile(r'[^"\\ \t\r\n\x85\u2028\u2029\0]+')
_HAS_BREAK: Final = re.compile(r"[\r\n\x85\u2028\u2029]")
# A parent indentation no line can be deeper than: the scalar ends with its line.
_ONE_LINE: Final = 1 << 30

_ESCAPES: Final = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_ESCAPE_CODES: Final = {"x": 2, "u": 4, "U": 8}

# PyYAML's implicit resolvers (YAML 1.1), timestamps left out.
_NULL: Final = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL: Final = re.compile(
    r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
)
_INT: Final = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
)
_FLOAT: Final = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_TRUE: Final = frozenset({"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
_TAGS: Final = ("str", "int", "float", "bool", "null")


class AnswersError(ValueError):
    """The text is not YAML this reader accepts; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def _sexagesimal(text: str, number: type[int] | type[float]) -> int | float:
    sign = -1 if text.startswith("-") else 1
    digits = [number(part) for part in text.lstrip("+-").split(":")]
    value: int | float = 0
    for digit in digits:
        value = value * 60 + digit
    return sign * value


def _to_int(text: str) -> int:
    value = text.replace("_", "")
    sign = -1 if value.startswith("-") else 1
    value = value.lstrip("+-")
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value.startswith("0"):
        return sign * int(value, 8)
    if ":" in value:
        return sign * int(_sexagesimal(value, int))
    return sign * int(value)


def _to_float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = -1.0 if value.startswith("-") else 1.0
    value = value.lstrip("+-")
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    if ":" in value:
        return sign * float(_sexagesimal(value, float))
    return sign * float(value)


def resolve_plain(text: str) -> Value:
    """The value of a plain (unquoted) scalar, as PyYAML's safe loader resolves it."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text in _TRUE
    if _INT.match(text):
        return _to_int(text)
    if _FLOAT.match(text):
        return _to_float(text)
    return text


def _construct(tag: str, text: str, line: int) -> Value:
    """A scalar with an explicit standard tag (`!!int "1"`)."""
    if tag == "str":
        return text
    checks = {"int": _INT, "float": _FLOAT, "bool": _BOOL, "null": _NULL}
    if not checks[tag].match(text):
        # PyYAML also reads "1" as !!float; nothing else is converted.
        if tag == "float" and _INT.match(text):
            return float(_to_int(text))
        raise AnswersError(line, f"{text!r} is not a valid !!{tag}")
    if tag == "int":
        return _to_int(text)
    if tag == "float":
        return _to_float(text)
    if tag == "bool":
        return text in _TRUE
    return None


class _Reader:
    """A cursor over the text with line and column, scanning YAML's block context."""

    def __init__(self, text: str) -> None:
        # Ended by enough END characters for any look-ahead: peek never leaves the text.
        self.text = text.removeprefix("\ufeff") + _END * _LOOK_AHEAD
        self.pos = 0
        self.line = 1
        self.column = 0

    # --- The cursor ---------------------------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        return self.text[self.pos + offset]

    def prefix(self, length: int) -> str:
        return self.text[self.pos : self.pos + length]

    def forward(self, count: int = 1) -> None:
        end = self.pos + count
        if not _HAS_BREAK.search(self.text, self.pos, end):
            self.pos = end
            self.column += count
            return
        for _ in range(count):
            char = self.text[self.pos]
            self.pos += 1
            if char in _BREAKS and not (char == "\r" and self.peek() == "\n"):
                self.line += 1
                self.column = 0
            else:
                self.column += 1

    def error(self, message: str) -> AnswersError:
        return AnswersError(self.line, message)

    def at_end(self) -> bool:
        return self.peek() == _END

    def blank_after(self, offset: int) -> bool:
        """Whether the character at `offset` is whitespace, a line break or the end."""
        return self.peek(offset) in _WHITESPACE + _BREAKS + _END

    def line_break(self) -> str:
        """Consume one line break; return it as PyYAML keeps it ("" if there is none)."""
        char = self.peek()
        if char == "\r" and self.peek(1) == "\n":
            self.forward(2)
            return "\n"
        if char in "\r\n\x85":
            self.forward()
            return "\n"
        if char in "\u2028\u2029":
            self.forward()
            return char
        return ""

    def document_marker(self) -> bool:
        return self.column == 0 and self.prefix(3) in ("---", "...") and self.blank_after(3)

    def skip_spaces(self) -> None:
        while self.peek() in _WHITESPACE:
            self.forward()

    def skip_comment(self) -> None:
        if self.peek() == "#":
            while self.peek() not in _BREAKS + _END:
                self.forward()

    def end_of_line(self) -> None:
        """After a node: only spaces and a comment may follow it on its line."""
        self.skip_spaces()
        self.skip_comment()
        if self.peek() not in _BREAKS + _END:
            raise self.error(f"unexpected {self.peek()!r} after a value")

    def next_token(self) -> None:
        """Skip blank lines, comments and indentation; refuse tabs used as indentation."""
        while True:
            line_start = self.column == 0
            while self.peek() == " ":
                self.forward()
            if self.peek() == "\t":
                self.skip_spaces()
                if line_start and self.peek() not in "#" + _BREAKS + _END:
                    raise self.error("a tab in indentation")
            self.skip_comment()
            if not self.line_break():
                return

    # --- Scalars ------------------------------------------------------------------------

    def flow_breaks(self) -> list[str]:
        """Blank lines inside a quoted scalar (PyYAML's scan_flow_scalar_breaks)."""
        breaks: list[str] = []
        while True:
            if self.document_marker():
                raise self.error("a document separator inside a quoted scalar")
            self.skip_spaces()
            if self.peek() in _BREAKS:
                breaks.append(self.line_break())
            else:
                return breaks

    def quoted(self) -> str:
        """A single- or double-quoted scalar, folded over lines as YAML folds it."""
        quote = self.peek()
        double = quote == '"'
        start = self.line
        self.forward()
        chunks: list[str] = []
        while True:
            # Non-space characters.
            while True:
                char = self.peek()
                if char == _END:
                    raise AnswersError(start, "a quoted scalar is never closed")
                if not double and char == "'" and self.peek(1) == "'":
                    chunks.append("'")
                    self.forward(2)
                elif char == quote:
                    self.forward()
                    return "".join(chunks)
                elif double and char == "\\":
                    chunks.extend(self.escape())
                elif char in _WHITESPACE + _BREAKS:
                    break
                else:
                    run = (_DOUBLE_RUN if double else _SINGLE_RUN).match(self.text, self.pos)
                    length = run.end() - self.pos if run else 1
                    chunks.append(self.prefix(length))
                    self.forward(length)
            # Spaces, and line breaks folded into one space or kept as newlines.
            spaces = ""
            while self.peek() in _WHITESPACE:
                spaces += self.peek()
                self.forward()
            if self.peek() in _BREAKS:
                kept = self.line_break()
                breaks = self.flow_breaks()
                if kept != "\n":
                    chunks.append(kept)
                elif not breaks:
                    chunks.append(" ")
                chunks.extend(breaks)
            else:
                chunks.append(spaces)

    def escape(self) -> list[str]:
        """One escape sequence of a double-quoted scalar (the cursor is on the backslash)."""
        self.forward()
        char = self.peek()
        if char in _ESCAPES:
            self.forward()
            return [_ESCAPES[char]]
        if char in _ESCAPE_CODES:
            length = _ESCAPE_CODES[char]
            self.forward()
            digits = self.prefix(length)
            if len(digits) != length or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise self.error(f"a bad escape \\{char}{digits}")
            self.forward(length)
            code = int(digits, 16)
            if code > 0x10FFFF:
                raise self.error(f"a bad escape \\{char}{digits}")
            return [chr(code)]
        if char in _BREAKS:
            # An escaped line break joins the lines without a space.
            self.line_break()
            return self.flow_breaks()
        raise self.error(f"an unknown escape \\{char}")

    def plain(self, parent: int) -> str:
        """A plain scalar; it may continue on lines indented deeper than `parent`."""
        chunks: list[str] = []
        pending: list[str] = []
        while True:
            if self.peek() == "#":
                break
            run = _PLAIN_RUN.match(self.text, self.pos)
            length = run.end() - self.pos if run else 0
            if length == 0:
                break
            chunks.extend(pending)
            chunks.append(self.prefix(length))
            self.forward(length)
            pending = self.plain_spaces(parent)
            if not pending:
                break
        return "".join(chunks)

    def plain_key(self) -> str:
        """A plain scalar that ends with its line (a key)."""
        return self.plain(_ONE_LINE)

    def plain_spaces(self, parent: int) -> list[str]:
        """What separates two runs of a plain scalar, or [] where the scalar ends.

        The cursor is left at the end of the scalar's text when it ends.
        """
        mark = (self.pos, self.line, self.column)
        spaces = ""
        while self.peek() in _WHITESPACE:
            spaces += self.peek()
            self.forward()
        if self.peek() not in _BREAKS:
            if spaces and self.peek() not in "#" + _END:
                return [spaces]
            self.pos, self.line, self.column = mark
            return []
        kept = self.line_break()
        breaks: list[str] = []
        while True:
            while self.peek() == " ":
                self.forward()
            if self.peek() in _BREAKS:
                breaks.append(self.line_break())
                continue
            break
        if (
            self.document_marker()
            or self.column <= parent
            or self.peek() in "#" + _END
            or self.peek() == "\t"
        ):
            self.pos, self.line, self.column = mark
            return []
        if kept != "\n":
            return [kept, *breaks]
        return breaks or [" "]

    def block_scalar(self, parent: int) -> str:
        """A literal (|) or folded (>) block scalar; the cursor is on its indicator."""
        folded = self.peek() == ">"
        self.forward()
        chomping: bool | None = None
        increment: int | None = None
        for _ in range(2):
            char = self.peek()
            if char in "+-" and chomping is None:
                chomping = char == "+"
                self.forward()
            elif char in "123456789" and increment is None:
                increment = int(char)
                self.forward()
        self.end_of_line()
        self.line_break()
        minimum = max(parent + 1, 1)
        if increment is None:
            breaks, deepest = self.block_indentation()
            indent = max(minimum, deepest)
        else:
            indent = minimum + increment - 1
            breaks = self.block_breaks(indent)
        chunks: list[str] = []
        kept = ""
        while self.column == indent and not self.at_end():
            chunks.extend(breaks)
            leading_text = self.peek() not in _WHITESPACE
            start = self.pos
            while self.peek() not in _BREAKS + _END:
                self.forward()
            chunks.append(self.text[start : self.pos])
            kept = self.line_break()
            breaks = self.block_breaks(indent)
            if self.column == indent and not self.at_end():
                if folded and kept == "\n" and leading_text and self.peek() not in _WHITESPACE:
                    if not breaks:
                        chunks.append(" ")
                else:
                    chunks.append(kept)
            else:
                break
        if chomping is not False:
            chunks.append(kept)
        if chomping is True:
            chunks.extend(breaks)
        if self.column > 0 and self.peek() not in _BREAKS + _END and self.column > parent:
            raise self.error("a line of a block scalar is indented less than its first line")
        return "".join(chunks)

    def block_indentation(self) -> tuple[list[str], int]:
        breaks: list[str] = []
        deepest = 0
        while self.peek() in " " + _BREAKS:
            if self.peek() == " ":
                self.forward()
                deepest = max(deepest, self.column)
            else:
                breaks.append(self.line_break())
        return breaks, deepest

    def block_breaks(self, indent: int) -> list[str]:
        breaks: list[str] = []
        while self.column < indent and self.peek() == " ":
            self.forward()
        while self.peek() in _BREAKS:
            breaks.append(self.line_break())
            while self.column < indent and self.peek() == " ":
                self.forward()
        return breaks

    # --- Nodes --------------------------------------------------------------------------

    def is_entry(self) -> bool:
        """Whether the cursor is on a block sequence entry (`- ` or a lone `-`)."""
        return self.peek() == "-" and self.blank_after(1)

    def is_key(self) -> bool:
        """Whether a `key:` starts at the cursor, on this line."""
        mark = (self.pos, self.line, self.column)
        try:
            if self.peek() in "'\"":
                self.quoted()
            elif self.plain_start():
                self.plain_key()
            else:
                return False
            self.skip_spaces()
            return self.peek() == ":" and self.blank_after(1) and self.line == mark[1]
        except AnswersError:
            return False
        finally:
            self.pos, self.line, self.column = mark

    def plain_start(self) -> bool:
        char = self.peek()
        if char in "-?:":
            return not self.blank_after(1)
        return char not in ",[]{}#&*!|>'\"%@`" + _WHITESPACE + _BREAKS + _END

    def block_node(self, parent: int) -> Value:
        """The node on the following lines, indented deeper than `parent` (None if none)."""
        self.next_token()
        if self.at_end() or self.column <= parent or self.document_marker():
            return None
        if self.is_entry():
            return self.sequence(self.column)
        if self.is_key():
            return self.mapping(self.column)
        return self.inline_node(parent)

    def next_in_block(self, indent: int, items: str) -> bool:
        """Whether another of a block's `items` (keys or entries) at column `indent` follows.

        The block ends at the end, at a line indented less or at a document marker; a line
        indented deeper is an error.
        """
        self.next_token()
        if self.at_end() or self.column < indent or self.document_marker():
            return False
        if self.column > indent:
            raise self.error(f"a line indented unlike the {items} around it")
        return True

    def mapping(self, indent: int) -> dict[str, Value]:
        result: dict[str, Value] = {}
        while self.next_in_block(indent, "keys"):
            line = self.line
            if not self.is_key():
                raise self.error("expected a `key: value` line")
            key_value = self.quoted() if self.peek() in "'\"" else resolve_plain(self.plain_key())
            if isinstance(key_value, (list, dict)):  # pragma: no cover - scalars only
                raise self.error("a key that is not a scalar")
            key = str(key_value) if not isinstance(key_value, str) else key_value
            self.skip_spaces()
            self.forward()  # the ':'
            if key in result:
                raise AnswersError(line, f"the key {key!r} appears twice")
            result[key] = self.value(indent)
        return result

    def value(self, indent: int) -> Value:
        """The value after `key:` of a mapping whose keys are at column `indent`."""
        self.skip_spaces()
        if self.peek() in "#" + _BREAKS + _END:
            self.skip_comment()
            self.next_token()
            if not self.at_end() and self.column == indent and self.is_entry():
                return self.sequence(indent)
            return self.block_node(indent)
        if self.is_entry():
            raise self.error("a sequence cannot start on the line of its key")
        return self.inline_node(indent)

    def sequence(self, indent: int) -> list[Value]:
        items: list[Value] = []
        while self.next_in_block(indent, "entries"):
            if not self.is_entry():
                return items
            self.forward()
            self.skip_spaces()
            if self.peek() in "#" + _BREAKS + _END:
                self.skip_comment()
                items.append(self.block_node(indent))
            elif self.is_entry():
                items.append(self.sequence(self.column))
            elif self.is_key():
                items.append(self.mapping(self.column))
            else:
                items.append(self.inline_node(indent))
        return items

    def inline_node(self, parent: int) -> Value:
        """A node that starts at the cursor, on this line: a scalar or a flow collection.

        A block scalar ends at the start of the line after it; any other node ends with its
        line, after which only a comment may follow.
        """
        if self.peek() in "|>":
            return self.block_scalar(parent)
        start = self.line
        quoted = self.peek() in "'\""
        value = self.scalar_or_flow(parent)
        try:
            self.end_of_line()
        except AnswersError:
            if quoted and self.line != start:
                # Most often a quote left open: say where it was opened.
                raise AnswersError(
                    start,
                    f"the quote opened on line {start} closes only on line {self.line}, "
                    "and text follows it there",
                ) from None
            raise
        return value

    def scalar_or_flow(self, parent: int) -> Value:
        char = self.peek()
        line = self.line
        if char == "!":
            tag = self.tag()
            self.skip_spaces()
            if self.peek() in "'\"":
                return _construct(tag, self.quoted(), line)
            if self.plain_start():
                return _construct(tag, self.plain(parent), line)
            raise self.error(f"expected a scalar after !!{tag}")
        if char in "&*":
            raise self.error("anchors and aliases are not supported in an answers file")
        if char in "[{":
            return self.flow()
        if char in "'\"":
            return self.quoted()
        if not self.plain_start():
            raise self.error(f"unexpected {char!r}")
        value = resolve_plain(self.plain(parent))
        self.skip_spaces()
        if self.peek() == ":" and self.blank_after(1):
            raise self.error("a `key: value` where a value was expected")
        return value

    def tag(self) -> str:
        start = self.pos
        while not self.blank_after(0):
            self.forward()
        tag = self.text[start : self.pos]
        name = tag.removeprefix("!!")
        if not tag.startswith("!!") or name not in _TAGS:
            raise self.error(f"the tag {tag} is not supported (only !!{', !!'.join(_TAGS)})")
        return name

    # --- Flow collections (on one line) -------------------------------------------------

    def flow(self) -> Value:
        closing = "]" if self.peek() == "[" else "}"
        line = self.line
        self.forward()
        items: list[Value] = []
        pairs: dict[str, Value] = {}
        while True:
            self.skip_spaces()
            if self.line != line or self.peek() in _BREAKS + _END:
                raise AnswersError(line, "a flow collection must close on its own line")
            if self.peek() == closing:
                self.forward()
                return items if closing == "]" else pairs
            item = self.flow_scalar()
            self.skip_spaces()
            if closing == "}":
                if self.peek() != ":":
                    raise self.error("expected `:` in a flow mapping")
                self.forward()
                self.skip_spaces()
                key = item if isinstance(item, str) else str(item)
                if key in pairs:
                    raise self.error(f"the key {key!r} appears twice")
                pairs[key] = self.flow_scalar()
                self.skip_spaces()
            else:
                items.append(item)
            if self.peek() == ",":
                self.forward()
            elif self.peek() != closing:
                raise self.error(f"expected `,` or `{closing}` in a flow collection")

    def flow_scalar(self) -> Value:
        char = self.peek()
        if char in "'\"":
            return self.quoted()
        if char in "[{":
            return self.flow()
        length = 0
        while True:
            char = self.peek(length)
            if char in ",[]{}" + _BREAKS + _END:
                break
            if char == ":" and (self.blank_after(length + 1) or self.peek(length + 1) in ",[]{}"):
                break
            if char == "#" and length and self.peek(length - 1) in _WHITESPACE:
                break
            length += 1
        text = self.prefix(length).rstrip(_WHITESPACE)
        if not text or (text[0] in "&*!|>%@`?-" and (len(text) == 1 or text[0] not in "-?")):
            raise self.error(f"unexpected {self.peek()!r} in a flow collection")
        self.forward(len(text))
        return resolve_plain(text)


def load(text: str) -> Value:
    """Read one YAML document of the subset above; raise AnswersError on anything else."""
    reader = _Reader(text)
    reader.next_token()
    if reader.document_marker() and reader.peek() == "-":
        reader.forward(3)
        reader.skip_spaces()
        reader.skip_comment()
        if reader.peek() not in _BREAKS + _END:
            raise reader.error("content on the line of the document start `---`")
    value = reader.block_node(-1)
    reader.next_token()
    if reader.document_marker() and reader.peek() == ".":
        reader.forward(3)
        reader.next_token()
    if not reader.at_end():
        if reader.document_marker():
            raise reader.error("more than one YAML document")
        raise reader.error(f"unexpected {reader.peek()!r}")
    return value


def load_answers(text: str) -> dict[str, Value]:
    """The answers mapping of an answers file; AnswersError if it is not a mapping."""
    value = load(text)
    if value is None:
        raise AnswersError(1, "the file holds no answers")
    if not isinstance(value, dict):
        raise AnswersError(1, f"the answers are a {type(value).__name__}, not a mapping")
    return value
