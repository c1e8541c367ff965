"""Mutation run: does the test suite fail when a promise breaks? (docs/mutation-testing.md)

Usage:
  uv run python benchmarks/mutation.py template [--only NAME ...] [--pytest-workers N]
  uv run python benchmarks/mutation.py python [--max-children N]
  uv run python benchmarks/mutation.py list

`template`: each scripted mutant below (a changed `_exclude`, an owner flipped in
generated_files, a removed hook, a dropped ignore rule, a weakened validator, a removed CI job,
a broken escaping macro, a removed plan heading, ...) is applied to a scratch copy of this
repository, and the fast lane runs there (`pytest -m "not slow" -x`). A mutant only the slow
lane can catch names the slow tests that must catch it; they run when the fast lane did not.
`python`: mutmut mutates the package under src/ (configured under [tool.mutmut] in
pyproject.toml) in a scratch copy and runs the plan check's tests against every mutant.
Both print every surviving mutant. Nothing here is part of the normal test suite; the suite only
checks that every mutant still applies (tests/test_mutation_run.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GITHUB_CI = "template/{% if ci == 'github' %}.github{% endif %}/workflows/ci.yml.jinja"
GITLAB_CI = "template/{% if ci == 'gitlab' %}.gitlab-ci.yml{% endif %}.jinja"
API = "template/src/{{package_name}}/{% if app_kind == 'api' %}api.py{% endif %}.jinja"
SEEDED_LOOP = "{%- for file in generated_files if file.owner == 'seeded' %}"
STORY = (
    "tests/test_update_never_loses_work.py"
    "::test_seeded_files_belong_to_the_team_after_the_first_copy"
)


@dataclass(frozen=True)
class Mutant:
    """One deliberate defect: `old` (exactly once in `path`) becomes `new`; `old=None` creates
    the file `path` with `new`.

    `catch` names the tests expected to catch it. They run first (fast-lane tests, so a kill
    there is a kill by the fast lane); when they do not catch it, the whole fast lane runs.
    `slow=True`: only the slow lane can catch it, so only the `catch` tests (slow ones) run.
    """

    name: str
    breaks: str
    path: str
    old: str | None
    new: str
    catch: tuple[str, ...] = ()
    slow: bool = False


# The escapes toml_str starts with (yaml_str's are the same, so the macro's name anchors them).
TOML_STR_ESCAPES = (
    "{%- macro toml_str(value) -%}\n"
    """{%- set ns = namespace(text=value | string | replace("\\\\", "\\\\\\\\")"""
    """ | replace('"', '\\\\"')) -%}"""
)

MUTANTS: tuple[Mutant, ...] = (
    # --- Updates never lose the team's work --------------------------------------------------
    Mutant(
        "exclude-forgets-src",
        "seeded code under src/ is overwritten on update (the issue's first defect)",
        "copier.yml",
        SEEDED_LOOP,
        SEEDED_LOOP.replace("%}", "and not file.path.startswith('src/') %}"),
        catch=(f"{STORY}[api]",),
        slow=True,
    ),
    Mutant(
        "exclude-forgets-tests",
        "seeded tests are overwritten on update",
        "copier.yml",
        SEEDED_LOOP,
        SEEDED_LOOP.replace("%}", "and not file.path.startswith('tests/') %}"),
        catch=(f"{STORY}[library]",),
        slow=True,
    ),
    Mutant(
        "exclude-literal-package",
        "files under src/<package>/ are not excluded (the placeholder is not filled in)",
        "copier.yml",
        "/{{ file.path | replace('{package}', package_name) }}",
        "/{{ file.path }}",
        catch=(f"{STORY}[cli]",),
        slow=True,
    ),
    Mutant(
        "exclude-on-copy",
        "seeded files are left out of a new project instead of out of updates",
        "copier.yml",
        "{%- if _copier_operation == 'update' %}",
        "{%- if _copier_operation == 'copy' %}",
        catch=("tests/test_layout.py",),
    ),
    Mutant(
        "owner-errors-py-template",
        "the team's errors.py is declared template-owned",
        "copier/facts.yml",
        '{path: "src/{package}/errors.py", owner: seeded, when: {stack: python}}',
        '{path: "src/{package}/errors.py", owner: template, when: {stack: python}}',
        catch=("tests/test_docs_tell_the_truth.py",),
    ),
    Mutant(
        "owner-env-example-template",
        "the team's .env.example is declared template-owned",
        "copier/facts.yml",
        "{path: .env.example, owner: seeded}",
        "{path: .env.example, owner: template}",
        catch=("tests/test_docs_tell_the_truth.py",),
    ),
    Mutant(
        "template-file-not-in-manifest",
        "a file added to the template with no generated_files entry (no owner, not excluded)",
        "template/src/{{package_name}}/helpers.py",
        None,
        '"""Helpers."""\n',
        catch=("tests/test_layout.py",),
    ),
    # --- Secrets stay out of git, images and commits -----------------------------------------
    Mutant(
        "gitignore-drops-env",
        ".env is committed (the issue's third defect)",
        "template/.gitignore.jinja",
        "\n.env\n.env.*\n",
        "\n.env.*\n",
        catch=("tests/test_secret_files_are_never_committed_or_shipped.py",),
    ),
    Mutant(
        "gitignore-drops-negation",
        ".env.example is ignored, so the settings template is never committed",
        "template/.gitignore.jinja",
        "!.env.example\n",
        "",
        catch=("tests/test_secret_files_are_never_committed_or_shipped.py",),
    ),
    Mutant(
        "gitignore-drops-pem",
        "certificates and keys in .pem files are committed",
        "template/.gitignore.jinja",
        "*.pem\n",
        "",
        catch=("tests/test_secret_files_are_never_committed_or_shipped.py",),
    ),
    Mutant(
        "gitignore-drops-secrets-dir",
        "a secrets/ folder is committed",
        "template/.gitignore.jinja",
        "secrets/\n",
        "",
        catch=("tests/test_secret_files_are_never_committed_or_shipped.py",),
    ),
    Mutant(
        "dockerignore-key-at-top-only",
        "a .key file in a subfolder is sent to image builds",
        "template/.dockerignore.jinja",
        "**/*.key\n",
        "*.key\n",
        catch=("tests/test_secret_files_are_never_committed_or_shipped.py",),
    ),
    Mutant(
        "gitleaks-filler-anywhere",
        "a real key with a filler run in its middle is allowed as a placeholder",
        "template/.gitleaks.toml",
        "'''(?i)(?:x{8,}|0{8,}|\\*{8,})$'''",
        "'''(?i)(?:x{8,}|0{8,}|\\*{8,})'''",
        catch=("tests/test_secrets_are_refused.py",),
    ),
    Mutant(
        "gitleaks-allowlist-by-path",
        "every finding in .env.example is allowed, real keys included",
        "template/.gitleaks.toml",
        'regexTarget = "secret"\n',
        "regexTarget = \"secret\"\npaths = ['''(^|/)\\.env\\.example$''']\n",
        catch=("tests/test_secrets_are_refused.py",),
    ),
    Mutant(
        "gitleaks-allowlist-whole-line",
        "a real key is allowed when its line ends with a filler comment",
        "template/.gitleaks.toml",
        'regexTarget = "secret"\n',
        'regexTarget = "line"\n',
        catch=("tests/test_secrets_are_refused.py",),
    ),
    Mutant(
        "hook-removed-gitleaks",
        "commits are no longer scanned for secrets",
        "template/.pre-commit-config.yaml.jinja",
        "    hooks:\n      - id: gitleaks\n",
        "    hooks: []\n",
        catch=("tests/test_pre_commit_hooks.py",),
    ),
    Mutant(
        "hook-removed-private-key",
        "the private-key check no longer runs",
        "template/.pre-commit-config.yaml.jinja",
        "      - id: detect-private-key\n",
        "",
        catch=("tests/test_pre_commit_hooks.py",),
    ),
    Mutant(
        "hook-removed-plan-check",
        "the plan check no longer runs on commits",
        "template/.pre-commit-config.yaml.jinja",
        "      - id: implementation-plan\n        # Print",
        "      - id: check-json\n        # Print",
        catch=("tests/test_plan_hook.py",),
    ),
    Mutant(
        "bootstrap-skips-hook-install",
        "scripts/bootstrap no longer installs the hooks",
        "template/scripts/bootstrap.jinja",
        "uv run pre-commit install\n",
        "true\n",
        catch=(
            "tests/test_pre_commit_hooks.py"
            "::test_clean_project_commits_through_the_installed_hooks",
        ),
        slow=True,
    ),
    # --- Answers are validated and escaped ---------------------------------------------------
    Mutant(
        "validator-package-keyword",
        "a Python keyword is accepted as the package name",
        "copier/names.jinja",
        "{%- elif package_name in KEYWORDS -%}",
        "{%- elif package_name in [] -%}",
        catch=(
            "tests/test_questions.py",
            "tests/test_names.py",
        ),
    ),
    Mutant(
        "validator-slug-any-text",
        "any text is accepted as the slug",
        "copier/names.jinja",
        '{%- elif not (slug | regex_search("^[a-z0-9]+(-[a-z0-9]+)*$")) -%}',
        '{%- elif not (slug | regex_search("^.+$")) -%}',
        catch=(
            "tests/test_questions.py",
            "tests/test_names.py",
        ),
    ),
    Mutant(
        "validator-email-any-local-part",
        "an e-mail address with quotes or spaces reaches package metadata",
        "copier/names.jinja",
        "regex_search('^[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]+@",
        "regex_search('^.+@",
        catch=("tests/test_questions.py",),
    ),
    Mutant(
        "validator-year-reversed-range",
        "a range of years that ends before it starts is accepted",
        "copier/names.jinja",
        "{%- elif year[5:] and year[5:] < year[:4] -%}",
        "{%- elif year[5:] and year[5:] < '0' -%}",
        catch=("tests/test_questions.py",),
    ),
    Mutant(
        "toml-str-keeps-quotes",
        "a double quote in an answer breaks the TOML files",
        "copier/macros.jinja",
        TOML_STR_ESCAPES,
        TOML_STR_ESCAPES.replace(""" | replace('"', '\\\\"')""", ""),
        catch=("tests/test_answers_are_escaped.py",),
    ),
    Mutant(
        "toml-str-keeps-control-characters",
        "a tab or control character in an answer breaks the TOML files",
        "copier/macros.jinja",
        "range(32) | list + [127]",
        "range(9) | list",
        catch=("tests/test_answers_are_escaped.py",),
    ),
    Mutant(
        "answer-field-no-block-escape",
        "an answer line starting with # or - adds a heading or list item to the plan",
        "copier/macros.jinja",
        "\\{{ line }}",
        "{{ line }}",
        catch=(
            "tests/test_answers_in_the_plan.py",
            "tests/test_implementation_md.py",
        ),
    ),
    Mutant(
        "answer-field-no-marker",
        "an empty answer no longer shows as unfilled in the plan",
        "copier/macros.jinja",
        "{%- else %} {{ UNFILLED }}",
        "{%- else %}",
        catch=("tests/test_implementation_md.py",),
    ),
    # --- The plan ----------------------------------------------------------------------------
    Mutant(
        "plan-heading-removed",
        "the plan loses a sub-section of the planning document",
        "template/implementation.md.jinja",
        "### 3.5 Compliance & Privacy\n",
        "",
        catch=("tests/test_implementation_md.py",),
    ),
    Mutant(
        "plan-check-skips-section-6",
        "--require 6 passes on an unfilled section 6 (the issue's second defect)",
        "src/starter_template/plan_check.py",
        "        unfilled = Field(line=index + 1, label=label, where=parts[-1].where)"
        " if label else None",
        "        unfilled = (\n"
        "            Field(line=index + 1, label=label, where=parts[-1].where)\n"
        '            if label and parts[0].key != "6"\n'
        "            else None\n"
        "        )",
        catch=("tests/test_plan_check.py",),
    ),
    # --- CI ----------------------------------------------------------------------------------
    Mutant(
        "github-lint-job-removed",
        "GitHub CI no longer lints, formats or type-checks",
        GITHUB_CI,
        "  lint:\n    name: Lint, format and types\n",
        "  lint-disabled:\n    if: false\n    name: Lint, format and types\n",
        catch=("tests/test_ci_files.py",),
    ),
    Mutant(
        "github-secrets-job-removed",
        "GitHub CI no longer scans the history for secrets",
        GITHUB_CI,
        "      - name: Scan the whole git history\n"
        "        run: gitleaks git --redact --verbose .\n",
        "",
        catch=(
            "tests/test_ci_files.py",
            "tests/test_secrets_are_refused.py",
        ),
    ),
    Mutant(
        "gitlab-test-job-removed",
        "GitLab CI no longer runs the tests",
        GITLAB_CI,
        "    - uv run pytest --cov-report=xml:coverage.xml --junitxml=report.xml\n",
        "    - echo tests skipped\n",
        catch=("tests/test_ci_files.py",),
    ),
    Mutant(
        "ci-tests-oldest-python-only",
        "CI tests only the oldest supported Python",
        "copier/technical.yml",
        "supported_pythons[supported_pythons.index(python_min):] | tojson",
        "supported_pythons[supported_pythons.index(python_min):][:1] | tojson",
        catch=("tests/test_ci_files.py",),
    ),
    Mutant(
        "trust-needed",
        "copier copy needs --trust (a task)",
        "copier.yml",
        "_templates_suffix: .jinja\n",
        '_templates_suffix: .jinja\n_tasks: ["git init"]\n',
        catch=("tests/test_copy_is_trust_free.py",),
    ),
    # --- The generated service ---------------------------------------------------------------
    Mutant(
        "health-answers-otherwise",
        "/health answers differently from what the plan documents",
        API,
        'Health(status="ok",',
        'Health(status="up",',
        catch=(
            "tests/test_generated_project_is_green.py"
            "::test_running_service_answers_health_as_the_plan_documents",
        ),
        slow=True,
    ),
)


# --- Running --------------------------------------------------------------------------------


def sh(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def repository_files() -> list[str]:
    """This working tree's files (tracked or new, not ignored), as the tests copy them."""
    listed = sh(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], ROOT)
    return sorted(name for name in listed.stdout.split("\0") if name and (ROOT / name).exists())


def scratch_copy(destination: Path, *sync_options: str) -> Path:
    """A committed git copy of this working tree, with its own environment (uv sync)."""
    for name in repository_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target, follow_symlinks=False)
    for command in (
        ["git", "init", "--quiet"],
        ["git", "add", "--all"],
        ["git", "-c", "user.name=m", "-c", "user.email=m@example.com", "commit", "-qm", "copy"],
        ["uv", "sync", "--frozen", "--quiet", *sync_options],
    ):
        completed = sh(command, destination)
        if completed.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr}")
    return destination


def anchor_problem(mutant: Mutant, root: Path = ROOT) -> str | None:
    """Why the mutant would not apply to this tree, or None."""
    path = root / mutant.path
    if mutant.old is None:
        return f"{mutant.path} exists already" if path.exists() else None
    if not path.is_file():
        return f"{mutant.path} does not exist"
    count = path.read_text(encoding="utf-8").count(mutant.old)
    if count != 1:
        return f"its anchor occurs {count} times in {mutant.path}, not once"
    if mutant.old == mutant.new:
        return "it changes nothing"
    return None


def apply(mutant: Mutant, root: Path) -> None:
    if problem := anchor_problem(mutant, root):
        raise SystemExit(f"mutant {mutant.name}: {problem}")
    path = root / mutant.path
    if mutant.old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(mutant.new, encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(mutant.old, mutant.new, 1))


def restore(root: Path) -> None:
    sh(["git", "checkout", "--quiet", "--", "."], root)
    sh(["git", "clean", "-fdq"], root)


def failures(output: str) -> list[str]:
    """The tests pytest reports as failed or in error (its short summary)."""
    # xdist's --dist loadgroup appends "@group" to the node id: not part of the test's id.
    found = re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", output, flags=re.MULTILINE)
    return [re.sub(r"@[\w.-]+$", "", test) for test in found]


# Tests that fail in the copy without any mutant: left out of every run, and reported.
BROKEN: list[str] = []


def pytest(
    root: Path, arguments: list[str], workers: int, *, first: bool = True
) -> tuple[bool, list[str], float]:
    """Run pytest in the copy: (caught, failing tests, seconds); `first`: stop at the first."""
    started = time.monotonic()
    deselect = [option for test in BROKEN for option in ("--deselect", test)]
    stop = ["-x"] if first else []
    completed = sh(
        ["uv", "run", "--frozen", "pytest", *stop, "-q", "-n", str(workers), *deselect, *arguments],
        root,
    )
    output = completed.stdout + completed.stderr
    caught = completed.returncode != 0
    if completed.returncode not in {0, 1} and not failures(output):
        # Collection or usage errors: the mutant broke the suite itself (still caught).
        return caught, [f"exit {completed.returncode}: {output.strip().splitlines()[-1:]}"], 0.0
    return caught, failures(output), time.monotonic() - started


def run_template(names: list[str], workers: int) -> int:
    chosen = [mutant for mutant in MUTANTS if not names or mutant.name in names]
    unknown = set(names) - {mutant.name for mutant in MUTANTS}
    if unknown:
        raise SystemExit(f"unknown mutants: {', '.join(sorted(unknown))}")
    problems = {mutant.name: anchor_problem(mutant) for mutant in chosen}
    if broken := {name: problem for name, problem in problems.items() if problem}:
        raise SystemExit(f"mutants that no longer apply: {broken}")
    fast_lane = ["-m", "not slow"]
    results = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        root = scratch_copy(Path(scratch) / "repository")
        # Without a mutant, the tests the mutants name pass (the whole fast lane is checked
        # only where a mutant reaches it: a failure there is confirmed without the mutant).
        named = sorted({test for mutant in chosen if not mutant.slow for test in mutant.catch})
        caught, failed, seconds = pytest(root, [*fast_lane, *named], workers, first=False)
        print(f"named fast tests, unmutated: {'FAIL' if caught else 'pass'} ({seconds:.0f} s)")
        if caught:
            if not failed or failed[0].startswith("exit "):
                raise SystemExit(f"the tests do not run without any mutant: {failed}")
            BROKEN.extend(failed)
            print("failing without any mutant, so left out of every run:")
            print("".join(f"  {test}\n" for test in failed), end="")
        for mutant in chosen:
            apply(mutant, root)
            lane = "slow lane" if mutant.slow else "fast lane"
            selection = list(mutant.catch) if mutant.slow else [*fast_lane, *mutant.catch]
            caught, failed, seconds = (False, [], 0.0)
            if mutant.catch:
                caught, failed, seconds = pytest(root, selection, workers)
            if not caught and not mutant.slow:
                caught, failed, more = pytest(root, fast_lane, workers)
                seconds += more
                if caught:
                    restore(root)
                    if pytest(root, failed, workers)[0]:
                        BROKEN.extend(failed)
                        print(f"{failed} fail without a mutant too: left out from now on")
                        apply(mutant, root)
                        caught, failed, more = pytest(root, fast_lane, workers)
                        seconds += more
            restore(root)
            verdict = f"killed ({lane})" if caught else "SURVIVED"
            print(f"{mutant.name:<36} {verdict:<20} {seconds:5.0f} s  {' '.join(failed[:2])}")
            sys.stdout.flush()
            results.append((mutant, caught))
    survivors = [mutant for mutant, caught in results if not caught]
    print(f"\n{len(results)} mutants tried, {len(results) - len(survivors)} killed")
    for mutant in survivors:
        print(f"SURVIVED {mutant.name}: {mutant.breaks}")
    for test in BROKEN:
        print(f"LEFT OUT (fails without a mutant) {test}")
    return 1 if survivors else 0


def run_python(max_children: int) -> int:
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        root = scratch_copy(Path(scratch) / "repository", "--group", "mutation")
        mutmut = ["uv", "run", "--frozen", "--group", "mutation", "mutmut"]
        completed = subprocess.run(
            [*mutmut, "run", "--max-children", str(max_children)],
            cwd=root,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if completed.returncode != 0:
            raise SystemExit(f"mutmut run exited {completed.returncode}")
        sh([*mutmut, "export-cicd-stats"], root)
        stats = json.loads((root / "mutants/mutmut-cicd-stats.json").read_text())
        survivors = sh([*mutmut, "results"], root).stdout
        names = [
            line.split(":")[0].strip() for line in survivors.splitlines() if ": survived" in line
        ]
        for name in names:
            print(sh([*mutmut, "show", name], root).stdout)
        print(json.dumps(stats, indent=2))
        print(f"{stats['total']} mutants tried, {stats['killed']} killed, survivors: {len(names)}")
        for name in names:
            print(f"SURVIVED {name}")
    return 1 if names else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    template = commands.add_parser("template", help="scripted template mutants, fast lane")
    template.add_argument("--only", nargs="*", default=[], metavar="NAME")
    template.add_argument("--pytest-workers", type=int, default=1)
    python = commands.add_parser("python", help="mutmut on src/ (the plan check's tests)")
    python.add_argument("--max-children", type=int, default=2)
    commands.add_parser("list", help="the scripted mutants, and whether each applies")
    args = parser.parse_args()
    if args.command == "template":
        return run_template(args.only, args.pytest_workers)
    if args.command == "python":
        return run_python(args.max_children)
    for mutant in MUTANTS:
        problem = anchor_problem(mutant)
        print(f"{mutant.name:<36} {problem or 'applies'}: {mutant.breaks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
