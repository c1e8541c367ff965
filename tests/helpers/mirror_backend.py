"""The build backend of each offline hook mirror (hook_mirrors.py copies it in).

A mirror's package holds no code: its wheel only declares the hook's tool as a dependency, so
that pre-commit's `pip install .` installs the tool from the package index. Building that wheel
needs the standard library alone, so no build tool is downloaded for each hook environment.
The mirror's `mirror.json` gives the name, version and requirement.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path


def _digest(text: str) -> str:
    raw = hashlib.sha256(text.encode()).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def build_wheel(
    wheel_directory: str,
    config_settings: object = None,  # noqa: ARG001 (part of the PEP 517 interface)
    metadata_directory: object = None,  # noqa: ARG001
) -> str:
    """PEP 517: write the wheel into `wheel_directory`, return its file name."""
    project = json.loads(Path("mirror.json").read_text())
    dist = f"{project['name'].replace('-', '_')}-{project['version']}"
    files = {
        f"{dist}.dist-info/METADATA": (
            "Metadata-Version: 2.1\n"
            f"Name: {project['name']}\n"
            f"Version: {project['version']}\n"
            f"Requires-Dist: {project['requires']}\n"
        ),
        f"{dist}.dist-info/WHEEL": (
            "Wheel-Version: 1.0\n"
            "Generator: offline-mirror\n"
            "Root-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ),
    }
    record = [f"{name},sha256={_digest(text)},{len(text.encode())}" for name, text in files.items()]
    files[f"{dist}.dist-info/RECORD"] = "\n".join([*record, f"{dist}.dist-info/RECORD,,", ""])
    wheel_name = f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel_name, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return wheel_name
