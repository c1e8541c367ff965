"""The fleet's answers-file reader reads what Copier writes exactly as PyYAML does, and refuses
what it does not understand with the line, never a guess."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from starter_template.fleet.answers_yaml import AnswersError, load, load_answers

from .helpers.text_strategies import any_text

KEYS = st.from_regex(r"[a-z_][a-z0-9_]{0,24}", fullmatch=True)
SCALARS = st.one_of(
    any_text,
    st.booleans(),
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


def to_nice_yaml(answers: Any, default_style: str | None = None) -> str:
    """What the template's answers file renders: `to_nice_yaml` (jinja2-ansible-filters)."""
    return str(
        yaml.dump(
            answers,
            indent=4,
            allow_unicode=True,
            default_flow_style=False,
            default_style=default_style,
        )
    )


@pytest.mark.slow
@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(answers=st.dictionaries(KEYS, VALUES, max_size=8), quoted=st.booleans())
def test_reads_what_copier_writes_as_pyyaml_reads_it(answers: dict[str, Any], quoted: bool) -> None:
    """Any answers, in both styles the template writes (all scalars double-quoted when an
    answer holds U+0085, else plain where possible), read back exactly as PyYAML reads them."""
    text = "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
    text += to_nice_yaml(answers, '"' if quoted else None)
    assert load_answers(text) == yaml.safe_load(text)


HAND_WRITTEN = {
    "literal block": "a: |-\n  one\n   two\n\n  three\nb: 1\n",
    "kept block": "a: |+\n  one\n\n\nb: 1\n",
    "folded block": "a: >\n  one\n  two\n\n  three\n    more\n  four\nb: 1\n",
    "block in a list": "a:\n- |-\n  x\n  y\n- z\n",
    "indentation indicator": "a:\n  b: |1\n    x\n",
    "flow collections": "a: [x, 'y', \"z\", 1, true, {k: v}]\nb: {}\nc: []\n",
    "nested": "a:\n  b:\n    - 1\n    - c: d\n      e: f\n",
    "comments and markers": "# c\n---\na: 1 # x\n# y\nb: 'q' # z\n...\n",
    "folded plain": "a: one\n  two\n\n  three\nb: x",
    "folded quotes": "a: 'one\n\n  two  '\nb: \"x\\\n   y\"\n",
    "resolved scalars": "a: 0x1F\nb: 017\nc: 1_000\nd: 1:30\ne: .5\nf: -.inf\ng: ~\nh: yes\n",
    "windows line ends": "a: 1\r\nb: 'x\r\n  y'\r\n",
    "byte order mark": "\ufeffa: 1\n",
    "quoted keys": '\'a b\': 1\n"c": !!int "2"\n',
    "urls and colons": "a: http://x.y:80/z\nb: c#d\n",
}


@pytest.mark.parametrize("text", HAND_WRITTEN.values(), ids=HAND_WRITTEN)
def test_reads_hand_edited_answers_as_pyyaml_does(text: str) -> None:
    assert load(text) == yaml.safe_load(text)


BROKEN = {
    "merge conflict": (
        "_commit: v1\n<<<<<<< before updating\nb: 2\n=======\nb: 3\n>>>>>>> after\n",
        2,
    ),
    "quote never closed": ("project_name: 'Alpha\nci: github\n", 1),
    "quote closed too late": ("a: 'x\nb: 'y'\n", 1),
    "tab indentation": ("a:\n\t- 1\n", 2),
    "two documents": ("a: 1\n---\nb: 2\n", 2),
    "deeper line": ("a: 1\n  b: 2\n", 2),
    "shallower line": ("a:\n    b: 1\n  c: 2\n", 3),
    "mapping in a value": ("a: b: c\n", 1),
    "sequence on the key's line": ("a: - 1\n", 1),
    "unknown escape": ('a: "\\q"\n', 1),
    "unknown tag": ("a: !python/object 1\n", 1),
    "block scalar dedent": ("a: |\n    x\n  y\n", 3),
    "unclosed flow": ("a: [1, 2\n", 1),
}


@pytest.mark.parametrize(("text", "line"), BROKEN.values(), ids=BROKEN)
def test_refuses_broken_yaml_with_its_line(text: str, line: int) -> None:
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    with pytest.raises(AnswersError) as refused:
        load(text)
    assert refused.value.line == line


UNSUPPORTED = {
    # Valid YAML the reader refuses rather than half-read: answers files never hold them.
    "anchors": "a: &x 1\nb: *x\n",
    "complex key": "? a\n: b\n",
    "duplicate key": "a: 1\na: 2\n",
    "multi-line flow": "a: [1,\n 2]\n",
}


@pytest.mark.parametrize("text", UNSUPPORTED.values(), ids=UNSUPPORTED)
def test_refuses_yaml_it_does_not_support(text: str) -> None:
    yaml.safe_load(text)
    with pytest.raises(AnswersError):
        load(text)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just text\n"])
def test_answers_must_be_a_mapping(text: str) -> None:
    with pytest.raises(AnswersError):
        load_answers(text)
