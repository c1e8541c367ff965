def sign(number: int) -> int:  # error: missing return statement
    if number > 0:
        return 1
    elif number < 0:
        return -1
