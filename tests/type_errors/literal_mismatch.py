from typing import Literal


def paint(colour: Literal["red", "green"]) -> None: ...


paint("blue")  # error: not one of the literals
