"""The starter template's own tools, served from its repository.

- `plan_check`: the `implementation-plan` pre-commit hook every generated project runs on its
  implementation.md (listed in .pre-commit-hooks.yaml at the repository's top level).
- `fleet`: the `starter-fleet` command, for platform teams: which repositories made from the
  template are behind which release, and how far each one's plan has come.
"""
