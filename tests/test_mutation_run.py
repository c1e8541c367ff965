"""The mutation run's scripted mutants (benchmarks/mutation.py) still apply to this tree.

The run itself is long and not part of the suite (docs/mutation-testing.md); this keeps its
list from rotting silently: every anchor occurs exactly once, and every test a mutant names
as its catcher exists.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType

from .helpers.template_repo import TEMPLATE_ROOT


def mutation_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mutation", TEMPLATE_ROOT / "benchmarks" / "mutation.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation", module)
    spec.loader.exec_module(module)
    return module


def test_every_scripted_mutant_applies_exactly_once() -> None:
    mutation = mutation_module()
    names = [mutant.name for mutant in mutation.MUTANTS]
    assert len(names) == len(set(names)), "two mutants share a name"
    problems = {
        mutant.name: problem
        for mutant in mutation.MUTANTS
        if (problem := mutation.anchor_problem(mutant, TEMPLATE_ROOT))
    }
    assert problems == {}


def test_every_test_a_mutant_names_exists() -> None:
    for mutant in mutation_module().MUTANTS:
        assert mutant.catch or not mutant.slow, mutant.name
        for node in mutant.catch:
            path, _, rest = node.partition("::")
            source = (TEMPLATE_ROOT / path).read_text(encoding="utf-8")
            function = re.sub(r"\[.*\]$", "", rest)
            assert not function or f"def {function}(" in source, (mutant.name, node)
