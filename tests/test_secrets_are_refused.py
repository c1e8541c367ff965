"""Secrets never reach the history unnoticed: `git commit` refuses them, CI finds the rest."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers.hook_mirrors import hook_statuses
from .helpers.hooked import HookedProject
from .helpers.planted_secrets import KINDS, env_line, python_source, toml_line
from .helpers.processes import run
from .helpers.template_repo import TEMPLATE_ROOT
from .helpers.variants import VARIANTS, Variant, variant_params

VENV_BIN = Path(sys.executable).parent  # this repository's tools: gitleaks among them


def _package(project: Path) -> str:
    (package,) = (path.name for path in (project / "src").iterdir() if path.is_dir())
    return package


def _env_prefix(project: Path) -> str:
    return f"{_package(project).upper()}_"


@dataclass(frozen=True)
class Spot:
    """Where a secret was planted: a file of the project and its lines."""

    path: str
    lines: range


def _appended(project: Path, name: str, text: str) -> Spot:
    """Append `text` to the project's file `name` (made if missing); where it went."""
    path = project / name
    before = path.read_text() if path.exists() else ""
    path.write_text(before + text)
    first = before.count("\n") + 1
    return Spot(name, range(first, first + text.count("\n")))


def _in_source(project: Path, value: str, name: str) -> Spot:
    module = f"src/{_package(project)}/upstream_{name.replace('-', '_')}.py"
    return _appended(project, module, python_source(value))


def _in_config(project: Path, value: str, name: str) -> Spot:
    return _appended(project, "config/production.toml", toml_line(value, name))


def _in_env_example(project: Path, value: str, name: str) -> Spot:
    return _appended(project, ".env.example", env_line(_env_prefix(project), value, name))


# Where secrets are planted: new modules, the production settings, the settings template. Every
# kind goes into one commit per location, each on lines of its own (in a module of its own in
# the source), and gitleaks must report each at its place: a commit holding any one of them is
# refused, since the hook fails on any finding.
LOCATIONS: dict[str, Callable[[Path, str, str], Spot]] = {
    "source": _in_source,
    "config": _in_config,
    "env-example": _in_env_example,
}
# Each location is exercised on its own variant, so the three run side by side.
LOCATION_VARIANTS = {"source": "defaults", "config": "api", "env-example": "framework"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "location"),
    [
        pytest.param(
            VARIANTS[variant], location, id=location, marks=pytest.mark.xdist_group(variant)
        )
        for location, variant in LOCATION_VARIANTS.items()
    ],
)
def test_commit_with_a_secret_is_refused(
    variant: Variant, location: str, hooked: Callable[[Variant], HookedProject]
) -> None:
    with hooked(variant).scratch() as project:
        _commit_is_refused(project, location)


FINDING = re.compile(
    r"^RuleID:\s+(?P<rule>\S+)\n(?:.*\n)*?File:\s+(?P<file>\S+)\nLine:\s+(?P<line>\d+)$", re.M
)


def gitleaks_reported(output: str) -> set[tuple[str, str, int]]:
    """(rule, file, line) of each finding the gitleaks hook printed (--verbose)."""
    return {(m["rule"], m["file"], int(m["line"])) for m in FINDING.finditer(output)}


def _commit_is_refused(clean: HookedProject, location: str) -> None:
    spots = {
        kind.name: LOCATIONS[location](clean.path, kind.value(location), kind.name)
        for kind in KINDS.values()
    }
    clean.git("add", "--all")
    commit = clean.git("commit", "-m", "Add settings", check=False)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0, output
    assert clean.git("rev-parse", "HEAD").stdout.strip() == clean.head
    # gitleaks refused it, naming the rule of each kind where it was planted; the only other
    # hook that may object is the private-key check. No secret is ever printed (--redact).
    failed = {hook for hook, status in hook_statuses(output).items() if status == "Failed"}
    assert "gitleaks" in failed, output
    assert failed <= {"gitleaks", "detect-private-key"}, output
    reported = gitleaks_reported(output)
    missed = [
        name
        for name, spot in spots.items()
        if not any((KINDS[name].rule_id, spot.path, line) in reported for line in spot.lines)
    ]
    assert not missed, f"gitleaks did not report {missed} where they were planted:\n{output}"
    for kind in KINDS.values():
        assert max(kind.value(location).splitlines(), key=len)[-16:] not in output


PLACEHOLDERS = (
    "SLACK_WEBHOOK_URL=https://hooks." + "slack.com/services/T00000000/B00000000/" + "X" * 24,
    "STRIPE_SECRET_KEY=sk" + "_live_" + "0" * 24,
    "GITHUB_TOKEN=${GITHUB_TOKEN}",
    "API_TOKEN=<your-api-token>",
    "SECRET_KEY=change-me",
    # Built from pieces like every test credential, placeholder or not: none is committed whole.
    "DATABASE_URL=postgresql://" + ":".join(("user", "pass" + "word")) + "@localhost:5432/app",
)


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("framework"))
def test_placeholders_in_env_example_commit_but_a_real_key_beside_them_does_not(
    variant: Variant, hooked: Callable[[Variant], HookedProject]
) -> None:
    with hooked(variant).scratch() as project:
        _placeholders_pass_a_real_key_does_not(project)


def _placeholders_pass_a_real_key_does_not(clean: HookedProject) -> None:
    env_example = clean.path / ".env.example"
    with_placeholders = env_example.read_text() + "".join(f"{line}\n" for line in PLACEHOLDERS)
    env_example.write_text(with_placeholders)
    clean.git("add", ".env.example")
    commit = clean.git("commit", "-m", "Document the integrations", check=False)
    assert commit.returncode == 0, commit.stdout + commit.stderr

    stripe = KINDS["stripe-live-key"]
    env_example.write_text(with_placeholders + f"STRIPE_SECRET_KEY={stripe.value('beside')}\n")
    clean.git("add", ".env.example")
    commit = clean.git("commit", "-m", "Use the live key", check=False)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0, output
    assert hook_statuses(output).get("gitleaks") == "Failed", output
    assert stripe.rule_id in output


# Where teams write placeholders: the settings template, but also docs, settings and code. The
# template's allowlist goes by the value's shape, so it must hold in every one of them (an
# allowlist by path would pass .env.example alone, and let real keys through there).
PLACEHOLDER_FILES = (
    ".env.example",
    "docs/integrations.md",
    "config/production.toml",
    "src/my_project/settings.py",
)
TEMPLATE_RULES = TEMPLATE_ROOT / "template" / ".gitleaks.toml"


def gitleaks_findings(config: Path, scanned: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """What `gitleaks dir` finds in a folder with these rules (its JSON report)."""
    report = tmp_path / f"report-{config.stem}-{scanned.name}.json"
    command: list[str | Path] = [VENV_BIN / "gitleaks", "dir", "--no-banner", "--redact"]
    command += ["--report-format", "json", "--report-path", report, "--config", config, scanned]
    completed = run(command, tmp_path, check=False)
    assert completed.returncode in {0, 1}, completed.stdout + completed.stderr
    findings: list[dict[str, Any]] = json.loads(report.read_text())
    assert (completed.returncode == 1) == bool(findings)
    return findings


def plant(folder: Path, lines: Iterable[str]) -> None:
    text = "".join(f"{line}\n" for line in lines)
    for name in PLACEHOLDER_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


@pytest.mark.slow
def test_placeholders_are_allowed_by_the_template_rules_not_by_default(tmp_path: Path) -> None:
    """In every file, not only .env.example; and the allowlist is needed (gitleaks' defaults
    flag the filler placeholder in each)."""
    scanned = tmp_path / "project"
    plant(scanned, PLACEHOLDERS)
    defaults_only = tmp_path / "defaults.toml"
    defaults_only.write_text("[extend]\nuseDefault = true\n")
    flagged = {finding["File"] for finding in gitleaks_findings(defaults_only, scanned, tmp_path)}
    assert flagged == {str(scanned / name) for name in PLACEHOLDER_FILES}
    assert gitleaks_findings(TEMPLATE_RULES, scanned, tmp_path) == []


def test_a_real_key_beside_placeholders_is_caught_in_every_file(tmp_path: Path) -> None:
    """The allowlist is restricted to the placeholder's shape, in the secret itself: a real key
    next to them is found, and so is one with a filler run in its middle rather than at its
    end, and one on a line that ends with filler."""
    stripe = KINDS["stripe-live-key"]
    real = stripe.value("beside")
    filler_inside = real[:8] + "0" * 8 + real[8:]
    keys = [
        f"STRIPE_SECRET_KEY={real}",
        f"STRIPE_RESTRICTED_KEY={filler_inside}",
        f"STRIPE_BACKUP_KEY={stripe.value('backup')}  # was XXXXXXXX",
    ]
    scanned = tmp_path / "project"
    plant(scanned, [*PLACEHOLDERS, *keys])
    findings = gitleaks_findings(TEMPLATE_RULES, scanned, tmp_path)
    found = sorted((finding["File"], finding["RuleID"]) for finding in findings)
    assert found == sorted(
        (str(scanned / name), stripe.rule_id) for name in PLACEHOLDER_FILES for _ in keys
    )


def history_scan_command(project: Path) -> list[str]:
    """The gitleaks command the generated CI runs on the whole history (exactly one)."""
    ci_file = next(
        path
        for path in (project / ".github" / "workflows" / "ci.yml", project / ".gitlab-ci.yml")
        if path.is_file()
    )
    commands = [
        line.strip()
        for text in _strings(yaml.safe_load(ci_file.read_text()))
        for line in text.splitlines()
        if line.strip().startswith("gitleaks ")
    ]
    assert len(commands) == 1, commands
    return shlex.split(commands[0])


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("defaults", "framework"))
def test_ci_history_scan_finds_a_secret_committed_with_no_verify(
    variant: Variant, hooked: Callable[[Variant], HookedProject], tmp_path: Path
) -> None:
    with hooked(variant).scratch() as project:
        _history_scan_finds_what_hooks_did_not_see(project, tmp_path)


def _history_scan_finds_what_hooks_did_not_see(clean: HookedProject, tmp_path: Path) -> None:
    command = history_scan_command(clean.path)
    env = {**clean.env, "PATH": f"{VENV_BIN}:{clean.env['PATH']}"}

    def ci_scan(name: str) -> subprocess.CompletedProcess[str]:
        """CI's scan in a checkout with the whole history, as CI fetches it."""
        checkout = tmp_path / name
        run(["git", "clone", "--quiet", "--no-local", clean.path, checkout], tmp_path, env=env)
        return run(command, checkout, env=env, check=False)

    passed = ci_scan("before")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    # The hooks are installed, but --no-verify skips them: the secret is committed. A later
    # commit removes it again, so only the history still holds it.
    kind = KINDS["aws-access-key"]
    planted = _in_source(clean.path, kind.value("history"), "settings").path
    clean.git("add", "--all")
    clean.git("commit", "--quiet", "--no-verify", "-m", "Add settings")
    clean.git("rm", "--quiet", planted)
    clean.git("commit", "--quiet", "--no-verify", "-m", "Remove settings")
    assert not (clean.path / planted).exists()

    found = ci_scan("after")
    output = found.stdout + found.stderr
    assert found.returncode == 1, output
    assert kind.rule_id in output
    assert "leaks found: 1" in output
    assert kind.value("history") not in output
