count: int = 0
count = "many"  # error: a str assigned to an int
