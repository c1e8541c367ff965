from typing import Protocol


class Closer(Protocol):
    def close(self) -> None: ...


class Door:
    def open(self) -> None: ...


def shut(thing: Closer) -> None:
    thing.close()


shut(Door())  # error: Door has no close
