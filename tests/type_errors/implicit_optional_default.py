def greet(name: str = None) -> str:  # error: None is not a str
    return name or "world"
