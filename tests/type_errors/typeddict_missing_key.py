from typing import TypedDict


class User(TypedDict):
    name: str
    age: int


user: User = {"name": "Ada"}  # error: the age key is missing
