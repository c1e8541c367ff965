"""The `starter-fleet` command line: usage errors exit 2, outputs go where they are asked,
and one repository's surprise is reported for it while the others are read."""

from __future__ import annotations

import io
import json
import os
import secrets
import tomllib
from pathlib import Path

import pytest

from starter_template.fleet import cli, sources
from starter_template.fleet.cli import EXIT_OK, EXIT_USAGE, main
from starter_template.fleet.sources import Snapshot

from .helpers.template_repo import TEMPLATE_ROOT


def test_the_command_is_a_console_script_of_the_package() -> None:
    project = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["starter-fleet"] == "starter_template.fleet.cli:main"
    # `uvx --from <template repository>` installs the package alone: no dependencies.
    assert project["dependencies"] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["report"],
        ["report", "x", "--json", "-", "--markdown", "-"],
        ["report", "x", "--fail-behind", "-1"],
        ["report", "x", "--jobs", "0"],
        ["report", "--repos-file", "/no/such/list.txt"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == EXIT_USAGE
    assert "usage: starter-fleet" in capsys.readouterr().err


def test_json_to_stdout_replaces_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert main(["report", str(plain), str(tmp_path / "gone"), "--json", "-"]) == EXIT_OK
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert [entry["repository"] for entry in report] == [str(plain), str(tmp_path / "gone")]
    assert {p["code"] for p in report[0]["problems"]} == {
        "not-a-git-repository",
        "no-answers-file",
        "no-plan",
    }
    assert [p["code"] for p in report[1]["problems"]] == ["path-missing"]
    assert err == ""  # no progress bar: stderr is not a terminal


def test_outputs_are_written_with_their_folders(tmp_path: Path) -> None:
    site = tmp_path / "public" / "fleet"
    argv = ["report", str(tmp_path), "--html", str(site / "index.html")]
    argv += ["--markdown", str(site / "fleet.md"), "--json", str(site / "fleet.json")]
    assert main(argv) == EXIT_OK
    assert sorted(path.name for path in site.iterdir()) == ["fleet.json", "fleet.md", "index.html"]


def test_an_output_that_cannot_be_written_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["report", str(tmp_path), "--json", str(blocker / "x.json")]) == EXIT_USAGE
    assert f"cannot write {blocker / 'x.json'}" in capsys.readouterr().err


def test_a_surprise_in_one_repository_is_reported_for_it_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug met on one repository (here: a reader that raises) never stops the report."""
    cursed = tmp_path / "cursed"
    fine = tmp_path / "fine"
    for folder in (cursed, fine):
        folder.mkdir()
    real = sources.read_local

    def read_local(path: Path, *args: object, **kwargs: object) -> Snapshot:
        if path == cursed:
            raise KeyError("surprise")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("starter_template.fleet.survey.read_local", read_local)
    assert main(["report", str(cursed), str(fine), "--json", "-"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report[0]["problems"] == [
        {"code": "internal-error", "message": "unexpected KeyError: 'surprise'"}
    ]
    assert "internal-error" not in json.dumps(report[1])


def test_the_progress_bar_draws_only_on_a_terminal() -> None:
    class Terminal:
        def __init__(self, tty: bool) -> None:
            self.tty = tty
            self.written = ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> int:
            self.written += text
            return len(text)

        def flush(self) -> None:
            pass

    for tty in (True, False):
        stream = Terminal(tty)
        progress = cli.Progress(stream)  # type: ignore[arg-type]
        for done in range(1, 5):
            progress(done, 4)
        progress.clear()
        assert ("4/4 repositories" in stream.written) == tty
        assert stream.written.endswith("\r") == tty


def test_repositories_can_be_listed_on_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "one").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("# from find\none\n\ntwo\n"))
    assert main(["report", "--repos-file", "-", "--json", "-"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert [entry["repository"] for entry in report] == ["one", "two"]
    assert [p["code"] for p in report[1]["problems"]] == ["path-missing"]


def _answers_folder(folder: Path, source: str) -> Path:
    folder.mkdir()
    (folder / ".copier-answers.yml").write_text(
        f"_commit: v1.0.0\n_src_path: {source}\nproject_name: Service\nproject_type: api\n"
    )
    return folder


def test_credentials_in_a_url_never_reach_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = secrets.token_hex(8)  # made up at run time
    repository = f"https://fleet-bot:{token}@127.0.0.1:9/team/service.git"
    template = f"https://x-access-token:{token}@127.0.0.1:9/platform/starter.git"
    folder = _answers_folder(tmp_path / "service", template)
    outputs = {kind: tmp_path / f"fleet.{kind}" for kind in ("json", "md", "html")}
    argv = ["report", repository, str(folder), "--timeout", "30"]
    argv += ["--json", str(outputs["json"]), "--markdown", str(outputs["md"])]
    argv += ["--html", str(outputs["html"])]
    assert main(argv) == EXIT_OK
    shown = capsys.readouterr()
    texts = [shown.out, shown.err, *(path.read_text() for path in outputs.values())]
    assert not [text for text in texts if token in text]
    report = json.loads(outputs["json"].read_text())
    assert report[0]["repository"] == "https://***@127.0.0.1:9/team/service.git"
    assert report[0]["problems"][0]["code"] == "clone-failed"
    assert report[1]["template_source"] == "https://***@127.0.0.1:9/platform/starter.git"
    assert "template-unreachable" in {problem["code"] for problem in report[1]["problems"]}


def test_a_template_location_never_runs_a_remote_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An answers file (anyone can edit it) naming `evil::...` as its template: git would run
    git-remote-evil to list its tags; the report allows only git's own transports."""
    helpers = tmp_path / "bin"
    helpers.mkdir()
    marker = tmp_path / "ran"
    helper = helpers / "git-remote-evil"
    helper.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    helper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{helpers}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("GIT_ALLOW_PROTOCOL", raising=False)
    folder = _answers_folder(tmp_path / "service", "evil::payload")
    assert main(["report", str(folder), "--json", "-"]) == EXIT_OK
    (entry,) = json.loads(capsys.readouterr().out)
    assert "template-unreachable" in {p["code"] for p in entry["problems"]}
    assert not marker.exists()
    # The check can fail: allowed explicitly, git does run the helper.
    monkeypatch.setenv("GIT_ALLOW_PROTOCOL", "evil")
    assert main(["report", str(folder), "--json", "-"]) == EXIT_OK
    capsys.readouterr()
    assert marker.exists()
