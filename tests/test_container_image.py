"""The container option builds a production image as far as this machine can check without a
Docker daemon: hadolint, the Dockerfile's stages read against the project (its console command,
its health endpoint, its Python), the image's command run here with the image's environment and
found healthy by its own probe, the build context (.dockerignore) and compose.yaml's schema."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from docker.utils.build import exclude_paths

from .helpers.facts import CONTAINER_IMAGES, SUPPORTED_PYTHONS
from .helpers.linters import VENV_BIN, check_schema, lint_env
from .helpers.processes import free_port, run, serving, tool_env
from .helpers.variants import VARIANTS, Variant, variant_params

CONTAINER = [name for name, variant in VARIANTS.items() if variant.option("container")]
NO_CONTAINER = [name for name, variant in VARIANTS.items() if not variant.option("container")]


@dataclass
class Stage:
    """One stage of a Dockerfile: its FROM line and its instructions, in order."""

    image: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [arguments for name, arguments in self.instructions if name == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"stage {self.name} has no {keyword}"
        return found[-1]


def read_stages(dockerfile: Path) -> list[Stage]:
    """The stages of a Dockerfile: continuation lines joined, comments and blanks dropped."""
    logical: list[str] = []
    pending = ""
    for line in dockerfile.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, arguments = line.strip().partition(" ")
        keyword, arguments = keyword.upper(), " ".join(arguments.split())
        if keyword == "FROM":
            image, _, name = arguments.partition(" AS ")
            stages.append(Stage(image.strip(), name.strip()))
        else:
            stages[-1].instructions.append((keyword, arguments))
    return stages


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list), f"not the exec (JSON) form: {arguments}"
    return [str(item) for item in value]


def console_command(project: Path) -> str | None:
    scripts = tomllib.loads((project / "pyproject.toml").read_text())["project"].get("scripts")
    return next(iter(scripts)) if scripts else None


def test_every_supported_python_has_pinned_images() -> None:
    """Whatever python_min a project has, its images are pinned by tag and digest."""
    for kind in ("python", "devcontainer"):
        versions = CONTAINER_IMAGES[kind]["versions"]
        assert tuple(versions) == SUPPORTED_PYTHONS, kind
        for python, pinned in versions.items():
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", pinned["digest"]), (kind, python)
            assert python in pinned["tag"].split("-"), (kind, python)
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", CONTAINER_IMAGES["uv"])


@pytest.mark.parametrize("variant", variant_params(*CONTAINER))
def test_dockerfile_passes_hadolint(variant: Variant, generated: Callable[[Variant], Path]) -> None:
    dockerfile = generated(variant) / "Dockerfile"
    linted = run(
        [VENV_BIN / "hadolint", dockerfile], dockerfile.parent, env=lint_env(), check=False
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_hadolint_catches_a_careless_dockerfile(tmp_path: Path) -> None:
    """The check above can fail: an unpinned base image and unpinned pip installs are refused."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:latest\nRUN pip install requests\nUSER root\n")
    linted = run([VENV_BIN / "hadolint", dockerfile], tmp_path, env=lint_env(), check=False)
    assert linted.returncode == 1
    assert "DL3007" in linted.stdout  # a :latest base image
    assert "DL3013" in linted.stdout  # pip without versions


@pytest.mark.parametrize("variant", variant_params(*CONTAINER))
def test_image_is_built_in_two_stages_from_the_pinned_python_of_the_project(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    build, runtime = read_stages(project / "Dockerfile")
    python = (project / ".python-version").read_text().strip()
    pinned = CONTAINER_IMAGES["python"]["versions"][python]
    expected = f"{CONTAINER_IMAGES['python']['image']}:{pinned['tag']}@{pinned['digest']}"
    # Both stages: the same Python at the same path, so the environment built in the first
    # runs in the second; pinned by tag and digest.
    assert (build.image, runtime.image) == (expected, expected)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", pinned["digest"])
    assert pinned["tag"].startswith(f"{python}-")
    # uv's production pattern: the locked dependencies alone first, with a cache mount and the
    # lock and project metadata bound in, then the project (not editable), never dev tools.
    runs = build.all("RUN")
    first = next(index for index, line in enumerate(runs) if "--no-install-project" in line)
    assert "uv sync --locked --no-install-project --no-dev" in runs[first]
    assert "--mount=type=cache,target=/root/.cache/uv" in runs[first]
    for bound in ("uv.lock", "pyproject.toml"):
        assert f"--mount=type=bind,source={bound},target={bound}" in runs[first]
    assert any("uv sync --locked --no-dev --no-editable" in line for line in runs[first + 1 :])
    assert f"uv=={CONTAINER_IMAGES['uv']}" in " ".join(runs)
    # The runtime stage has no uv and no build tool: only the environment and the settings.
    assert not any("uv" in line.split() or "pip" in line for line in runtime.all("RUN"))
    copies = runtime.all("COPY")
    assert copies == ["--from=build /app/.venv /app/.venv", "config/ /app/config/"]


@pytest.mark.parametrize("variant", variant_params(*CONTAINER))
def test_image_runs_the_project_as_an_unprivileged_user(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    runtime = read_stages(project / "Dockerfile")[-1]
    user = runtime.last("USER")
    assert re.fullmatch(r"[1-9][0-9]{3,}:[1-9][0-9]{3,}", user), user
    uid = user.split(":")[0]
    assert any(f"--uid {uid}" in line for line in runtime.all("RUN"))
    # USER comes before what the image runs.
    names = [name for name, _ in runtime.instructions]
    assert names.index("USER") < names.index("ENTRYPOINT")
    entrypoint = exec_form(runtime.last("ENTRYPOINT"))
    command = console_command(project)
    if command is None:  # a library: Python with the package importable
        assert entrypoint == ["python"]
        package = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["uv"][
            "build-backend"
        ]["module-name"]
        assert f"import {package}" in " ".join(exec_form(runtime.last("CMD")))
    else:
        assert entrypoint == [command]
    env = " ".join(runtime.all("ENV"))
    assert 'PATH="/app/.venv/bin:$PATH"' in env
    assert "ENVIRONMENT=production" in env


@pytest.mark.parametrize("variant", variant_params(*CONTAINER))
def test_service_image_is_healthy_while_its_health_endpoint_answers(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    runtime = read_stages(project / "Dockerfile")[-1]
    healthchecks = runtime.all("HEALTHCHECK")
    if variant.app_kind not in {"api", "web"}:
        assert healthchecks == [], "only a service has a health endpoint"
        return
    (healthcheck,) = healthchecks
    options, _, command = healthcheck.partition(" CMD ")
    probe = exec_form(command)
    # The standard library, no curl: python -c "...urlopen('http://127.0.0.1:PORT/PATH'...".
    assert probe[:2] == ["python", "-c"]
    url = re.search(r"urlopen\('(http://127\.0\.0\.1:(\d+)(/[^']*))'", probe[2])
    assert url, probe
    port, path = url[2], url[3]
    assert runtime.last("EXPOSE") == port
    assert re.search(rf"_PORT={port}\b", " ".join(runtime.all("ENV")))
    assert re.search(r"_HOST=0\.0\.0\.0\b", " ".join(runtime.all("ENV")))
    # The endpoint the application really serves, and the plan documents.
    package = next((project / "src").iterdir()).name
    app_code = "".join(path_.read_text() for path_ in (project / "src" / package).glob("*.py"))
    assert f'.get("{path}"' in app_code
    assert f"#### Endpoint: GET {path}" in (project / "implementation.md").read_text()
    assert "--interval=" in options
    assert "--timeout=" in options


def image_environment(runtime: Stage) -> dict[str, str]:
    """The variables the runtime stage's ENV lines set (PATH, which extends itself, left out)."""
    variables = {}
    for arguments in runtime.all("ENV"):
        for word in shlex.split(arguments):
            key, _, value = word.partition("=")
            variables[key] = value
    variables.pop("PATH")
    return variables


def probe_passes(probe: list[str], python: Path, cwd: Path) -> bool:
    """The HEALTHCHECK's command, run with the image's Python: exit status 0 means healthy."""
    assert probe[0] == "python"
    completed = subprocess.run(
        [python, *probe[1:]], cwd=cwd, capture_output=True, timeout=30, check=False
    )
    return completed.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("api"))
def test_image_command_with_its_environment_is_healthy_by_its_own_probe(
    variant: Variant, synced: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """What the container runs, run here: the ENTRYPOINT from the project's environment (the
    image puts it first on PATH), with no argument, the runtime stage's ENV and a working
    folder holding only config/ (WORKDIR /app). The HEALTHCHECK's own probe passes while it
    runs and fails once it stops. Only the port (a free one) and the address (127.0.0.1, not
    every interface) differ from the image, in the ENV and the probe alike."""
    project = synced(variant)
    runtime = read_stages(project / "Dockerfile")[-1]
    (healthcheck,) = runtime.all("HEALTHCHECK")
    probe = exec_form(healthcheck.partition(" CMD ")[2])
    environment = image_environment(runtime)
    (port_key,) = [key for key in environment if key.endswith("_PORT")]
    (host_key,) = [key for key in environment if key.endswith("_HOST")]
    image_port, port = environment[port_key], str(free_port())
    assert f"127.0.0.1:{image_port}/" in probe[2]
    probe[2] = probe[2].replace(f"127.0.0.1:{image_port}/", f"127.0.0.1:{port}/")
    environment |= {port_key: port, host_key: "127.0.0.1"}
    workdir = tmp_path / "app"
    shutil.copytree(project / "config", workdir / "config")
    venv = project / ".venv" / "bin"
    command = [str(venv / exec_form(runtime.last("ENTRYPOINT"))[0])]
    env = tool_env(**environment)
    env["PATH"] = f"{venv}{os.pathsep}{env['PATH']}"

    def healthy() -> bool:
        return probe_passes(probe, venv / "python", workdir)

    with serving(command, workdir, env, healthy, what="the image's command"):
        assert healthy()  # and it keeps passing while the command runs
    # The probe can fail: nothing answers any more.
    assert not probe_passes(probe, venv / "python", workdir)


# --- The build context: .dockerignore ------------------------------------------------------


def copied_sources(stages: list[Stage]) -> list[str]:
    """What the Dockerfile takes from the build context: COPY sources and bind mounts."""
    sources = []
    for stage in stages:
        for keyword, arguments in stage.instructions:
            if keyword == "COPY" and "--from=" not in arguments:
                words = [word for word in shlex.split(arguments) if not word.startswith("--")]
                sources += words[:-1]
            sources += re.findall(r"--mount=type=bind,source=([^,\s]+)", arguments)
    return sources


SECRETS = (".env", ".env.local", "key.pem", "deploy.key", "secrets/token", "src/app/.env")


@pytest.mark.parametrize("variant", variant_params(*CONTAINER))
def test_build_context_has_what_the_dockerfile_copies_and_no_secret(
    variant: Variant, generated: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """The build context as Docker computes it from .dockerignore (the Docker SDK's own
    matching), on the project with secret files planted where a team might leave them."""
    project = tmp_path / "project"
    shutil.copytree(generated(variant), project)
    for secret in SECRETS:
        (project / secret).parent.mkdir(parents=True, exist_ok=True)
        (project / secret).write_text("PLANTED=1\n")
    (project / "uv.lock").write_text("version = 1\n")  # scripts/bootstrap writes it
    patterns = [
        line
        for line in (project / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sent = exclude_paths(str(project), patterns)
    sources = copied_sources(read_stages(project / "Dockerfile"))
    assert "." in sources
    assert "uv.lock" in sources
    for source in sources:
        if source == ".":
            continue
        below = [
            path.relative_to(project).as_posix()
            for path in (project / source).rglob("*")
            if path.is_file()
        ]
        for copied in below or [source.rstrip("/")]:
            assert copied in sent, f"the Dockerfile copies {copied}, which .dockerignore leaves out"
    # `COPY . /app` builds the package: its metadata, code and the files it names.
    for needed in ("pyproject.toml", "uv.lock", "README.md", "LICENSE", ".python-version"):
        assert needed in sent, needed
    code = {
        path.relative_to(project).as_posix()
        for path in (project / "src").rglob("*")
        if path.is_file()
    }
    assert code - set(SECRETS) <= sent
    # Never a secret, the history or the tests in an image.
    assert not set(SECRETS) & sent
    assert not [path for path in sent if path.startswith((".git/", "tests/"))]


# --- compose.yaml -------------------------------------------------------------------------


@pytest.mark.slow
def test_compose_files_pass_the_compose_specifications_schema(
    generated: Callable[[Variant], Path],
) -> None:
    """Every container variant's compose.yaml, in one run of check-jsonschema."""
    files = [generated(VARIANTS[name]) / "compose.yaml" for name in CONTAINER]
    checked = run(
        [VENV_BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", *files],
        files[0].parent,
        env=lint_env(),
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("variant", variant_params(*CONTAINER))
def test_compose_runs_the_image_with_the_local_settings(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    (service,) = compose["services"].values()
    assert service["build"] == "."
    assert service["env_file"] == [{"path": ".env", "required": False}]
    runtime = read_stages(project / "Dockerfile")[-1]
    if variant.app_kind in {"api", "web"}:
        port = runtime.last("EXPOSE")
        assert service["ports"] == [f"127.0.0.1:{port}:{port}"]
        # .env says 127.0.0.1 for running on the host; in the container it must be every
        # interface, and the environment wins over .env (config/README.md).
        (host,) = (value for key, value in service["environment"].items() if key.endswith("_HOST"))
        assert host == "0.0.0.0"  # noqa: S104
    else:
        assert "ports" not in service


@pytest.mark.slow
def test_compose_schema_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text("services:\n  app:\n    build: .\n    ports: 8000\n    restart: sometimes\n")
    checked = check_schema("vendor.compose-spec", broken, check=False)
    assert checked.returncode == 1, checked.stdout


@pytest.mark.parametrize("variant", variant_params(*NO_CONTAINER[:2]))
def test_without_the_container_option_nothing_refers_to_an_image(
    variant: Variant, generated: Callable[[Variant], Path]
) -> None:
    project = generated(variant)
    assert not (project / "Dockerfile").exists()
    assert not (project / "compose.yaml").exists()
    assert "hadolint" not in (project / ".pre-commit-config.yaml").read_text()
    assert "docker" not in (project / "README.md").read_text().lower().replace(".dockerignore", "")
