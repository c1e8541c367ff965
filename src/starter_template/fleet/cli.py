"""The `starter-fleet` command: which projects are behind the template, how far each plan is.

    starter-fleet report REPO... [--repos-file FILE] [--template SOURCE]
                         [--json FILE] [--markdown FILE] [--html FILE] [--fail-behind N]

Exit status: 0 the report was made (problems with single repositories are part of it);
1 with --fail-behind N, some repository is more than N releases behind; 2 usage error (no
repository given, a list or an output file that cannot be read or written).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final, TextIO

from . import html_page, render
from .model import RepoReport
from .releases import is_url
from .sources import DEFAULT_TIMEOUT
from .survey import ANSWERS_FILE, Options, default_jobs, inspect_fleet

EXIT_OK: Final = 0
EXIT_BEHIND: Final = 1
EXIT_USAGE: Final = 2
STDOUT: Final = "-"


class Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: TextIO, *, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.active = stream.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total < 2:
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} repositories")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()


def _read_list(name: str) -> list[str]:
    """Repositories listed one a line (`#` comments, blank lines ignored).

    Relative paths in a file are relative to the file's folder; from stdin (`-`), to the
    current folder.
    """
    if name == STDOUT:
        text, base = sys.stdin.read(), Path()
    else:
        path = Path(name)
        text, base = path.read_text(encoding="utf-8"), path.parent
    locations = []
    for line in text.splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not is_url(entry) and not Path(entry).expanduser().is_absolute():
            entry = str(base / entry)
        locations.append(entry)
    return locations


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def _not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="starter-fleet",
        description="The fleet of repositories made from the starter template: the release "
        "each one is on, how far its implementation.md plan has come, and what is wrong.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = commands.add_parser(
        "report",
        help="report on repositories (local paths or git URLs)",
        description="Read each repository's .copier-answers.yml and implementation.md "
        "(without a checkout for URLs; never writing to any repository) and report on them.",
        epilog="Exit status: 0 report made, 1 a repository is more releases behind than "
        "--fail-behind allows, 2 usage error.",
    )
    report.add_argument(
        "repos", nargs="*", metavar="REPO", help="a local folder or any URL git can clone"
    )
    report.add_argument(
        "--repos-file",
        action="append",
        default=[],
        metavar="FILE",
        help="read more REPOs from FILE, one a line (# comments; - reads stdin); repeatable",
    )
    report.add_argument(
        "--template",
        metavar="SOURCE",
        help="the template's git location: releases are listed from it, and repositories "
        "whose answers name another template are reported (default: each answers file's "
        "_src_path)",
    )
    report.add_argument("--json", metavar="FILE", help="write the report as JSON (- for stdout)")
    report.add_argument(
        "--markdown", metavar="FILE", help="write the report as Markdown (- for stdout)"
    )
    report.add_argument(
        "--html", metavar="FILE", help="write the report as one self-contained HTML page"
    )
    report.add_argument(
        "--fail-behind",
        type=_not_negative,
        metavar="N",
        help="exit 1 when a repository is more than N releases behind",
    )
    report.add_argument(
        "--title", default="Template fleet report", help="the title of the Markdown and HTML"
    )
    report.add_argument(
        "--answers-file",
        default=ANSWERS_FILE,
        metavar="NAME",
        help=f"the answers file's name in each repository (default: {ANSWERS_FILE})",
    )
    report.add_argument(
        "--jobs",
        type=_positive,
        default=default_jobs(),
        metavar="N",
        help="repositories read at the same time (default: %(default)s)",
    )
    report.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up on one git command after this long (default: %(default)g)",
    )
    report.set_defaults(command_parser=report)
    return parser


def _write(name: str, content: str) -> None:
    if name == STDOUT:
        sys.stdout.write(content)
        return
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def _too_far_behind(reports: Sequence[RepoReport], limit: int) -> list[RepoReport]:
    return [
        report
        for report in reports
        if report.releases_behind is not None and report.releases_behind > limit
    ]


def run_report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    locations = list(args.repos)
    for name in args.repos_file:
        try:
            locations += _read_list(name)
        except (OSError, UnicodeDecodeError) as error:
            parser.error(f"cannot read the list of repositories {name}: {error}")
    locations = list(dict.fromkeys(locations))
    if not locations:
        parser.error("no repository given (REPO arguments or --repos-file)")
    outputs = {"json": args.json, "markdown": args.markdown, "html": args.html}
    if sum(value == STDOUT for value in outputs.values()) > 1:
        parser.error("only one output can go to stdout (-)")
    options = Options(template=args.template, answers_file=args.answers_file, timeout=args.timeout)
    progress = Progress(sys.stderr)
    try:
        reports = inspect_fleet(locations, options, jobs=args.jobs, progress=progress)
    finally:
        progress.clear()
    renderers = {
        "json": lambda: render.to_json(reports),
        "markdown": lambda: render.markdown(reports, title=args.title),
        "html": lambda: html_page.page(reports, title=args.title),
    }
    if STDOUT not in outputs.values():
        sys.stdout.write(render.table(reports))
    for kind, name in outputs.items():
        if name is None:
            continue
        try:
            _write(name, renderers[kind]())
        except OSError as error:
            print(f"starter-fleet: cannot write {name}: {error}", file=sys.stderr)
            return EXIT_USAGE
    if args.fail_behind is not None:
        late = _too_far_behind(reports, args.fail_behind)
        if late:
            print(
                f"starter-fleet: {len(late)} of {len(reports)} repositories are more than "
                f"{args.fail_behind} release(s) behind:",
                file=sys.stderr,
            )
            for report in late:
                print(
                    f"  {render.printable(report.repository)}: {report.template_version} "
                    f"({report.releases_behind} behind {report.latest_template_version})",
                    file=sys.stderr,
                )
            return EXIT_BEHIND
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """The `starter-fleet` command; returns its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command_parser: argparse.ArgumentParser = args.command_parser
    return run_report(args, command_parser)


if __name__ == "__main__":
    sys.exit(main())
