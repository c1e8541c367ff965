def double(value) -> int:  # error: missing parameter annotation
    return 2
