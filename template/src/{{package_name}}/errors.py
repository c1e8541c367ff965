"""Errors raised by this package. Catch `Error` to handle every one of them."""


class Error(Exception):
    """Base class of every error this package raises on purpose."""


class ConfigError(Error):
    """A setting is missing or malformed. The message names the setting and its source."""
