async def fetch() -> int:
    return 1


async def main() -> int:
    return fetch()  # error: a coroutine returned as int (await missing)
