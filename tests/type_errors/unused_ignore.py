total: int = 1 + 1  # type: ignore[assignment]  # error: the ignore is unused
