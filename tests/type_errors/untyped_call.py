from _support import legacy


def use() -> None:
    legacy(1)  # error: call to an untyped function
