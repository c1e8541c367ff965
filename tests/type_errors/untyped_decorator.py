from _support import untyped_decorator


@untyped_decorator  # error: an untyped decorator makes the function untyped
def handler() -> None:
    pass
