from typing import cast

size = cast(int, len("abc"))  # error: redundant cast
