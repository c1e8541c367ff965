class Point:
    def __init__(self) -> None:
        self.x = 0


def height(point: Point) -> int:
    return point.y  # error: Point has no attribute y
