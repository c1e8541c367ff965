def length(text: str | None) -> int:
    return len(text)  # error: None has no length
