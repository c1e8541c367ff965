def double(value: int):  # error: missing return annotation
    return value * 2
