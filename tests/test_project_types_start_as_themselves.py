"""Every project type starts as itself: a web app serves pages a real browser renders, an
automation runs its jobs from the command line and from CI, and fails loudly when a job fails.

The web app's browser test is the generated project's own (tests/test_browser.py): here it
runs against the real server in headless Chromium, and must not be skipped.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .helpers import browser
from .helpers.copier_runs import render_in_process
from .helpers.linters import check_schema
from .helpers.processes import run, tool_env
from .helpers.variants import Variant, variant_params

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def browser_installed() -> None:
    """Debian's chromium and chromedriver (.ci/run installs them; see helpers/browser.py)."""
    browser.require("chromium", "chromedriver")


def browser_tests(project: Path, basetemp: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the generated project's browser tests with the command of its CI's browser job (the
    web_app variant's CI is GitLab); return the run and its JUnit report."""
    report = basetemp.parent / f"{basetemp.name}-junit.xml"
    (job_command,) = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["browser"]["script"]
    command = [
        *shlex.split(job_command),
        "-rs",
        *("-p", "no:cacheprovider", f"--basetemp={basetemp}", f"--junitxml={report}"),
    ]
    return run(command, project, check=False), report


def junit(report: Path) -> ElementTree.Element:
    """The JUnit report pytest wrote for us."""
    return ElementTree.parse(report).getroot()  # noqa: S314 (our own test run's report)


def counts(report: Path) -> dict[str, int]:
    suite = junit(report).find("testsuite")
    assert suite is not None
    return {key: int(suite.get(key, "0")) for key in ("tests", "skipped", "failures", "errors")}


@pytest.mark.slow
@pytest.mark.usefixtures("browser_installed")
@pytest.mark.parametrize("variant", variant_params("web_app"))
def test_web_app_renders_and_round_trips_its_form_in_a_real_browser(
    variant: Variant,
    synced: Callable[[Variant], Path],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    completed, report = browser_tests(synced(variant), tmp_path / "browser")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert counts(report) == {"tests": 2, "skipped": 0, "failures": 0, "errors": 0}
    seen = {prop.get("name"): prop.get("value") for prop in junit(report).iter("property")}
    assert str(seen["title"]).startswith("Contact us | ")
    assert seen["round trip"] == "errors shown, then Message sent"
    # (pytest links each test's latest folder as "<name>current": count each file once.)
    screenshots = sorted({path.resolve() for path in (tmp_path / "browser").glob("*/*.png")})
    assert sorted(path.name for path in screenshots) == [
        "contact-errors.png",
        "contact.png",
        "sent.png",
    ]
    for screenshot in screenshots:
        data = screenshot.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        assert len(data) > 5_000, f"{screenshot} looks blank"
    # For the record: what the browser showed, and where to look at it.
    request.node.user_properties += [
        ("title", seen["title"]),
        ("screenshots", ", ".join(map(str, screenshots))),
    ]


@pytest.mark.slow
@pytest.mark.usefixtures("browser_installed")
@pytest.mark.parametrize("variant", variant_params("web_app"))
def test_browser_test_fails_on_a_console_error(
    variant: Variant, synced: Callable[[Variant], Path], tmp_path: Path
) -> None:
    """An inline script, which the Content Security Policy blocks, is caught as a console error."""
    project = synced(variant)
    layout = project / "src" / variant.package / "templates" / "base.html"
    original = layout.read_text()
    try:
        layout.write_text(
            original.replace("</body>", "<script>document.title = 'x';</script></body>")
        )
        completed, report = browser_tests(project, tmp_path / "browser")
    finally:
        layout.write_text(original)
    assert completed.returncode == 1
    assert counts(report)["failures"] == 2
    assert "Content Security Policy" in completed.stdout


def command_of(project: Path) -> str:
    """The project's console command."""
    (command,) = tomllib.loads((project / "pyproject.toml").read_text())["project"]["scripts"]
    return str(command)


def output_dir_variable(variant: Variant) -> str:
    """The variable of the jobs' output_dir setting (the prefix is the package name's)."""
    return f"{variant.package.upper()}_OUTPUT_DIR"


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("automation"))
def test_automation_lists_and_runs_its_jobs_from_the_command_line(
    variant: Variant, synced: Callable[[Variant], Path], tmp_path: Path
) -> None:
    project = synced(variant)
    command = ["uv", "run", "--frozen", "--project", str(project), command_of(project)]
    env = tool_env()
    assert run([*command, "list"], tmp_path, env=env).stdout.splitlines() == ["daily-summary"]
    first = run([*command, "run", "daily-summary"], tmp_path, env=env)
    assert first.stdout.startswith("daily-summary: done (run ")
    (summary,) = (tmp_path / "output").iterdir()
    written = summary.read_bytes()
    second = run([*command, "run", "daily-summary"], tmp_path, env=env)
    assert "is up to date: nothing to do" in second.stderr
    assert list((tmp_path / "output").iterdir()) == [summary]
    assert summary.read_bytes() == written
    # Each run logs its own id on every line.
    first_id = first.stdout.split("(run ")[1].rstrip(")\n")
    assert all(first_id in line for line in first.stderr.splitlines())
    assert first_id not in second.stderr

    unknown = run([*command, "run", "no-such-job"], tmp_path, env=env, check=False)
    assert unknown.returncode == 2
    assert "unknown job 'no-such-job'; the jobs are: daily-summary" in unknown.stderr
    (tmp_path / "taken").write_text("a file where the output folder should be\n")
    env[output_dir_variable(variant)] = "taken"
    failed = run([*command, "run", "daily-summary"], tmp_path, env=env, check=False)
    assert failed.returncode == 1
    assert f"{command[-1]}: job 'daily-summary' failed (run " in failed.stderr


def ci_jobs_commands(project: Path) -> tuple[dict[str, str], list[str]]:
    """The environment and shell commands of the CI job that runs the jobs on a schedule."""
    workflow = project / ".github/workflows/jobs.yml"
    if workflow.exists():
        job = yaml.safe_load(workflow.read_text())["jobs"]["run"]
        env = {key: str(value) for key, value in job["env"].items() if "${{" not in str(value)}
        return env, [step["run"] for step in job["steps"] if "run" in step]
    job = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["jobs"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    return dict(job["variables"]), [*job["before_script"], *job["script"]]


def run_in_ci(project: Path, tmp_path: Path, extra_env: dict[str, str]) -> list[str]:
    """Run the CI's jobs commands in a fresh checkout of `project`, as CI does; the output."""
    checkout = tmp_path / "checkout"
    shutil.copytree(project, checkout, ignore=shutil.ignore_patterns(".venv", "output"))
    env_vars, commands = ci_jobs_commands(checkout)
    env = {**tool_env(), **env_vars, **extra_env}
    output = []
    for command in commands:
        completed = run(
            ["bash", "-e", "-o", "pipefail", "-c", command], checkout, env=env, check=False
        )
        output.append(completed.stdout + completed.stderr)
        if completed.returncode != 0:
            raise subprocess.CalledProcessError(completed.returncode, command, "\n".join(output))
    return output


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("automation"))
@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_schedule_runs_every_job_and_fails_when_one_fails(
    variant: Variant,
    ci: str,
    synced: Callable[[Variant], Path],
    plain_template: Path,
    tmp_path: Path,
) -> None:
    project = synced(variant)
    if ci != variant.ci:
        # The same project with the other CI: its pipeline file, checked, in the checkout.
        other = render_in_process(plain_template, tmp_path / "other", {**variant.answers, "ci": ci})
        check_schema("vendor.gitlab-ci", other / ".gitlab-ci.yml")
        project = tmp_path / "project"
        shutil.copytree(synced(variant), project, ignore=shutil.ignore_patterns(".venv", ".github"))
        shutil.copy(other / ".gitlab-ci.yml", project)
    output = run_in_ci(project, tmp_path / "ok", {})
    logged = [json.loads(line) for line in output[-1].splitlines() if line.startswith("{")]
    assert {record["job"] for record in logged} == {"daily-summary"}
    assert len({record["run_id"] for record in logged}) == 1
    assert "daily-summary: done (run " in output[-1]
    assert any(
        path.name.startswith("summary-") for path in (tmp_path / "ok/checkout/output").iterdir()
    )

    (tmp_path / "fails").mkdir()
    (tmp_path / "fails" / "taken").write_text("a file where the output folder should be\n")
    with pytest.raises(subprocess.CalledProcessError) as failure:
        run_in_ci(
            project,
            tmp_path / "fails",
            {output_dir_variable(variant): str(tmp_path / "fails" / "taken")},
        )
    assert "job 'daily-summary' failed" in str(failure.value.output)
