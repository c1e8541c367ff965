def pair(first: int, second: int) -> tuple[int, int]:
    return first, second


pair(1)  # error: an argument is missing
