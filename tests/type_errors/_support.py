"""What the snippets import. It has no error of its own."""

from collections import OrderedDict
from typing import Any


def legacy(value):  # type: ignore[no-untyped-def]  # an untyped function, on purpose
    return value


def untyped_decorator(function):  # type: ignore[no-untyped-def]  # an untyped decorator
    return function


def anything() -> Any:
    return 1


AnyBase: Any = object
ordered = OrderedDict[str, int]()
