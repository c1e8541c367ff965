def log(message: str) -> None:
    print(message)


result: str = log("x")  # error: the function returns None
