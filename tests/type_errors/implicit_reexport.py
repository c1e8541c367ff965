from _support import OrderedDict  # error: not exported by _support

mapping = OrderedDict[str, int]()
