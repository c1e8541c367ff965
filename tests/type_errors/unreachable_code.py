def describe(number: int) -> str:
    if isinstance(number, int):
        return "a number"
    return "something else"  # error: unreachable
