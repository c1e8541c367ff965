def shout(text: str | None) -> str:
    return text.upper()  # error: None has no attribute upper
