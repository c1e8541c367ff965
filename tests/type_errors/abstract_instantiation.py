from abc import ABC, abstractmethod


class Shape(ABC):
    @abstractmethod
    def area(self) -> float: ...


shape = Shape()  # error: an abstract class cannot be instantiated
