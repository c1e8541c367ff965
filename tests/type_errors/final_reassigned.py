from typing import Final

LIMIT: Final = 10
LIMIT = 20  # error: a Final name is reassigned
