from _support import AnyBase


class Model(AnyBase):  # error: subclassing a value typed Any
    pass
