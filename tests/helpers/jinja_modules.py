"""A Jinja file of this repository as a module, loaded the way copier loads templates."""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from .template_repo import TEMPLATE_ROOT


@functools.cache
def jinja_macros(name: str) -> Any:
    """A Jinja file of this repository as a module, in an environment configured like copier's
    (sandboxed, with the filters of jinja2-ansible-filters that copier always loads)."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )
    return environment.get_template(name).module
