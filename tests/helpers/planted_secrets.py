"""Realistic-looking secrets, made at run time so that none is ever written in this repository.

Each kind is put together from pieces and filled with deterministic pseudo-random characters:
the same value on every run (no flaky entropy), yet no literal that a scanner could find here.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

UPPER_DIGITS = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits
BASE32 = string.ascii_uppercase + "234567"
BASE64 = ALNUM + "+/"


def _fill(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _aws_access_key(rng: random.Random) -> str:
    return "AK" + "IA" + _fill(rng, BASE32, 16)


def _gcp_api_key(rng: random.Random) -> str:
    return "AI" + "za" + _fill(rng, ALNUM + "_-", 35)


def _github_token(rng: random.Random) -> str:
    return "gh" + "p_" + _fill(rng, ALNUM, 36)


def _gitlab_token(rng: random.Random) -> str:
    return "gl" + "pat-" + _fill(rng, ALNUM, 20)


def _slack_bot_token(rng: random.Random) -> str:
    parts = ("xo" + "xb", _fill(rng, string.digits, 12), _fill(rng, string.digits, 13))
    return "-".join((*parts, _fill(rng, ALNUM, 24)))


def _slack_webhook(rng: random.Random) -> str:
    path = ("T" + _fill(rng, UPPER_DIGITS, 10), "B" + _fill(rng, UPPER_DIGITS, 10))
    return "https://hooks." + "slack.com/services/" + "/".join((*path, _fill(rng, ALNUM, 24)))


def _stripe_live_key(rng: random.Random) -> str:
    return "sk" + "_live_" + _fill(rng, ALNUM, 32)


def _private_key(rng: random.Random) -> str:
    label = " ".join(["RSA", "PRIVATE", "KEY"])
    body = "\n".join(_fill(rng, BASE64, 64) for _ in range(6))
    return f"-----{'BEG' + 'IN'} {label}-----\n{body}\n-----{'E' + 'ND'} {label}-----"


@dataclass(frozen=True)
class SecretKind:
    """A kind of secret and the gitleaks rule that must catch it."""

    name: str
    rule_id: str
    make: Callable[[random.Random], str]

    def value(self, salt: str = "") -> str:
        """The same value for the same salt on every run; never a real credential."""
        return self.make(random.Random(f"{self.name}:{salt}"))  # noqa: S311 (not for crypto)


KINDS = {
    kind.name: kind
    for kind in (
        SecretKind("aws-access-key", "aws-access-token", _aws_access_key),
        SecretKind("gcp-api-key", "gcp-api-key", _gcp_api_key),
        SecretKind("github-token", "github-pat", _github_token),
        SecretKind("gitlab-token", "gitlab-pat", _gitlab_token),
        SecretKind("slack-bot-token", "slack-bot-token", _slack_bot_token),
        SecretKind("slack-webhook", "slack-webhook-url", _slack_webhook),
        SecretKind("stripe-live-key", "stripe-access-token", _stripe_live_key),
        SecretKind("private-key", "private-key", _private_key),
    )
}


def python_source(value: str) -> str:
    """A module that ruff accepts as it is, holding the value."""
    quote = '"""' if "\n" in value else '"'
    return f'"""Settings."""\n\nVALUE = {quote}{value}{quote}\n'


def _key(name: str) -> str:
    return "upstream_" + name.replace("-", "_")


def toml_line(value: str, name: str) -> str:
    """A setting named after `name` (one key per kind), holding the value."""
    quote = '"""' if "\n" in value else '"'
    return f"{_key(name)} = {quote}{value}{quote}\n"


def env_line(prefix: str, value: str, name: str) -> str:
    """An environment variable named after `name`, holding the value."""
    variable = prefix + _key(name).upper()
    return f'{variable}="{value}"\n' if "\n" in value else f"{variable}={value}\n"
