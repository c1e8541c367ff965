class Store:
    def get(self, key: str) -> bytes:
        return b""


class CachedStore(Store):
    def get(self, key: int) -> bytes:  # error: the override narrows the parameter
        return b""
