"""The HTML page of the fleet report: self-contained, every repository's text escaped, and, in
a real headless Chromium, it renders, sorts and filters, and makes no network request."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from starter_template.fleet.html_page import page
from starter_template.fleet.model import PartProgress, PlanProgress, Problem, RepoReport
from starter_template.fleet.render import printable

from .helpers.browser import chromium
from .helpers.fleet import FLEET, HOSTILE_NAME, LATEST, Fleet, fleet_at
from .helpers.processes import run

HOSTILE = (
    '"><img src=x onerror="window.pwned=1"></td></tr><script>window.pwned=2</script>&amp;\u202e'
)


class _Page(HTMLParser):
    """Tags, attributes, inline contents and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.inline: dict[str, list[str]] = {"style": [], "script": []}
        self.text: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag in self.inline:
            self._open = tag
            self.inline[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.inline[self._open][-1] += data
        else:
            self.text.append(data)


def _parse(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    parsed.close()
    return parsed


def _hostile_report() -> RepoReport:
    part = PartProgress(HOSTILE, HOSTILE, 1, 2, 3, 4)
    return RepoReport(
        repository=f"/srv/{HOSTILE}",
        project_name=HOSTILE,
        project_type=HOSTILE,
        stack=HOSTILE,
        ci=HOSTILE,
        template_source=HOSTILE,
        template_version=HOSTILE,
        latest_template_version="v2.0.0",
        last_commit=HOSTILE,
        plan=PlanProgress(1, 2, 3, 4, False, (part,), (part,)),
        problems=[Problem("corrupt-answers", HOSTILE)],
    )


def test_the_page_loads_nothing_and_allows_only_its_own_style_and_script() -> None:
    html = page([_hostile_report(), RepoReport(repository="/srv/plain")])
    parsed = _parse(html)
    assert parsed.tags.count("style") == 1
    assert parsed.tags.count("script") == 1
    # Nothing to fetch: no src, href, srcset, action or url() anywhere.
    assert not [a for a in parsed.attributes if a[1] in {"src", "href", "srcset", "action"}]
    assert "url(" not in html
    (policy,) = [
        value for tag, name, value in parsed.attributes if value and "default-src" in value
    ]
    assert policy.startswith("default-src 'none';")
    for kind in ("style", "script"):
        (content,) = parsed.inline[kind]
        digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy


def test_every_text_from_a_repository_is_escaped() -> None:
    html = page([_hostile_report()], title=HOSTILE)
    parsed = _parse(html)
    assert "img" not in parsed.tags
    assert parsed.tags.count("script") == 1
    assert parsed.tags.count("tr") == 2  # the header and one repository
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    text = "".join(parsed.text)
    # Shown as typed, its invisible direction override made visible.
    assert printable(HOSTILE) in text
    assert "\u202e" not in html


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    return fleet_at(tmp_path_factory.getbasetemp() / "fleet")


@pytest.mark.slow
@pytest.mark.xdist_group("fleet")
def test_the_page_renders_sorts_filters_and_makes_no_network_request(
    fleet: Fleet, tmp_path: Path
) -> None:
    html = tmp_path / "fleet.html"
    names = list(fleet.expected)
    run(
        [FLEET, "report", *(fleet.path(name) for name in names), "--html", html],
        tmp_path,
    )
    url = html.as_uri()
    with chromium(tmp_path / "profile") as browser:
        browser.open(url)
        assert browser.evaluate("document.title") == "Template fleet report"
        rows = "Array.from(document.querySelectorAll('#fleet > tbody > tr'))"
        column = rows + ".map((row) => row.cells[{}].textContent.trim())"
        headers = browser.evaluate(
            "Array.from(document.querySelectorAll('#fleet > thead th')).map((h) => h.textContent)"
        )
        behind_column = headers.index("Behind")
        type_column = headers.index("Type")
        assert browser.evaluate(column.format(0)) == [str(fleet.path(name)) for name in names]
        projects = dict(zip(names, browser.evaluate(column.format(1)), strict=True))
        assert projects["gamma"] == printable(HOSTILE_NAME)
        assert browser.evaluate("typeof window.pwned") == "undefined"
        # The chart: one bar per template version, the newest marked.
        bars = browser.evaluate(
            "Array.from(document.querySelectorAll('svg.chart g > title')).map((t) => t.textContent)"
        )
        assert f"{LATEST} (newest): 3" in bars

        # Clicking a header sorts by it: numbers ascending, unknown ones last; then descending.
        behind = [
            "" if expected.releases_behind is None else str(expected.releases_behind)
            for expected in fleet.expected.values()
        ]
        known = sorted(int(value) for value in behind if value)
        browser.click(f"#fleet > thead th:nth-child({behind_column + 1}) button")
        assert browser.evaluate(column.format(behind_column)) == [
            *map(str, known),
            *[""] * behind.count(""),
        ]
        sort_state = f"document.querySelectorAll('#fleet > thead th')[{behind_column}].ariaSort"
        assert browser.evaluate(sort_state) == "ascending"
        browser.click(f"#fleet > thead th:nth-child({behind_column + 1}) button")
        assert browser.evaluate(column.format(behind_column)) == [
            *map(str, reversed(known)),
            *[""] * behind.count(""),
        ]
        assert browser.evaluate(sort_state) == "descending"
        browser.click(f"#fleet > thead th:nth-child({type_column + 1}) button")
        types = [expected.project_type or "" for expected in fleet.expected.values()]
        assert browser.evaluate(column.format(type_column)) == sorted(filter(None, types)) + [
            ""
        ] * types.count("")

        # Every row, sorted by type (the filter below hides rows).
        screenshot = browser.screenshot(tmp_path / "fleet-report.png")
        print(f"\nscreenshot of the fleet report: {screenshot}")

        # The filter keeps the rows that mention what is typed.
        browser.click("#filter")
        browser.send("Input.insertText", {"text": "withdrawn"})
        visible = browser.evaluate(rows + ".filter((row) => !row.hidden).length")
        assert visible == 1

        # No request but the page itself, no resource loaded, no error or policy violation.
        assert browser.requests() == [url]
        assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
        logged = [
            event["params"]["entry"]["text"]
            for event in browser.events
            if event["method"] == "Log.entryAdded"
        ]
        assert logged == []
        assert not [
            event for event in browser.events if event["method"] == "Runtime.exceptionThrown"
        ]
    assert screenshot.stat().st_size > 10_000


@pytest.mark.slow
def test_the_network_check_sees_a_request_and_the_policy_blocks_it(tmp_path: Path) -> None:
    """The checks above can fail: an image injected into the page is seen as a request when
    the policy is removed, and blocked (and reported) when it is there."""
    html = page([RepoReport(repository="/srv/one")])
    pixel = "http://127.0.0.1:9/pixel.png"
    injected = html.replace("</main>", f'<img src="{pixel}" alt=""></main>')
    without_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", injected)
    assert without_policy != injected
    (tmp_path / "open.html").write_text(without_policy, encoding="utf-8")
    (tmp_path / "guarded.html").write_text(injected, encoding="utf-8")
    with chromium(tmp_path / "profile") as browser:
        browser.open((tmp_path / "open.html").as_uri())
        assert pixel in browser.requests()
        browser.events.clear()
        browser.open((tmp_path / "guarded.html").as_uri())
        # Chromium announces the request, then the policy blocks it before it leaves.
        announced = {
            event["params"]["requestId"]
            for event in browser.events
            if event["method"] == "Network.requestWillBeSent"
            and event["params"]["request"]["url"] == pixel
        }
        blocked = {
            event["params"]["requestId"]
            for event in browser.events
            if event["method"] == "Network.loadingFailed"
            and event["params"].get("blockedReason") == "csp"
        }
        assert announced
        assert announced <= blocked
        violations = [
            event
            for event in browser.events
            if event["method"] == "Log.entryAdded"
            and "Content Security Policy" in json.dumps(event["params"])
        ]
        assert violations
