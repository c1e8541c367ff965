def answer() -> int:
    return "42"  # error: a str returned as int
