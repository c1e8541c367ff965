def square(number: int) -> int:
    return number * number


square("3")  # error: a str passed as int
