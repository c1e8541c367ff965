"""The suite stays fast because each variant is generated once: its tests share one worker.

`variant_params` tags every test of a variant with an xdist group; `--dist loadgroup` must
then run them all on the same worker, where the session fixtures are already built. This
checks that the installed pytest and pytest-xdist really do so (pytest 9.2 with xdist 3.8
silently did not).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .helpers.processes import run

PROBE = """
import os
import pytest

GROUPS = [pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in "abcd"]


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("check", range(3))
def test_probe(group, check, tmp_path_factory):
    record = tmp_path_factory.getbasetemp().parent.parent / f"{group}-{check}"
    record.write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


@pytest.mark.slow
def test_tests_of_one_xdist_group_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    records = tmp_path / "records"
    records.mkdir()
    run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            f"--basetemp={records / 'temp'}",
            "test_probe.py",
        ],
        tmp_path,
    )
    workers: dict[str, set[str]] = {}
    for record in records.glob("?-?"):
        workers.setdefault(record.name[0], set()).add(record.read_text())
    assert sorted(workers) == ["a", "b", "c", "d"]
    assert all(len(ran_on) == 1 for ran_on in workers.values()), workers
