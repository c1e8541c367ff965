"""Jinja files and templates of this repository, loaded the way copier loads them."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from jinja2 import FileSystemLoader, Template
from jinja2.sandbox import SandboxedEnvironment

from .template_repo import TEMPLATE_ROOT


@functools.cache
def environment() -> SandboxedEnvironment:
    """An environment configured like copier's (sandboxed, with the filters of
    jinja2-ansible-filters that copier always loads), reading this repository."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )


@functools.cache
def jinja_macros(name: str) -> Any:
    """A Jinja file of this repository as a module: its macros and constants."""
    return environment().get_template(name).module


@functools.cache
def _compiled(source: str) -> Template:
    return environment().from_string(source)


def render(source: str, context: Mapping[str, Any]) -> str:
    """A template string of copier.yml (a validator, a default), rendered as copier does."""
    return _compiled(source).render(dict(context))
