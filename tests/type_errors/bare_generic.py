def first(items: list) -> object:  # error: list without its type parameter
    return items[0]
