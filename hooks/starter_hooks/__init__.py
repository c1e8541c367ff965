"""Pre-commit hooks served by the starter template to every generated project."""
