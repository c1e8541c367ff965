def is_answer(text: str) -> bool:
    return text == 42  # error: a str never equals an int
