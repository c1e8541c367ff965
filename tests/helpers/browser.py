"""A real headless Chromium, driven over the Chrome DevTools protocol through a pipe.

`--remote-debugging-pipe` makes Chromium read protocol messages from file descriptor 3 and
write its answers and events to descriptor 4, each message JSON ended by a NUL byte: no port,
no websocket library, nothing but the standard library. Debian's `chromium` package provides
the browser (`apt-get install chromium`).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .processes import stop_group

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
    "--window-size=1400,1000",
)


def require(*commands: str) -> None:
    """Skip the test, saying what to install, when a browser command is missing; in CI (`CI`
    set, as .ci/run sets it) fail instead: CI must run the browser tests, never skip them."""
    missing = [command for command in commands if shutil.which(command) is None]
    if missing:
        message = (
            f"{' and '.join(missing)} not installed (Debian: apt-get install -y chromium "
            "chromium-driver; .ci/run does it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def chromium_path() -> str:
    """The Chromium binary (see `require` for when it is missing)."""
    require("chromium")
    found = shutil.which("chromium")
    assert found is not None
    return found


class ProtocolError(RuntimeError):
    pass


@dataclass
class Browser:
    """One Chromium process and one page of it, attached with a flat session."""

    process: subprocess.Popen[bytes]
    to_browser: int
    from_browser: int
    next_id: int = 0
    session: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    _buffer: bytes = b""

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise ProtocolError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False
    ) -> dict[str, Any]:
        """Call a protocol method (on the page unless `browser`) and return its result."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise ProtocolError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        """The first event `method` seen (already received, or the next to come)."""
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event["method"] == method:
                return event
        while True:
            event = self._read_message(deadline)
            if "method" in event:
                self.events.append(event)
                if event["method"] == method:
                    return event

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        self.events = [event for event in self.events if event["method"] != "Page.loadEventFired"]
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (as a person clicks)."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(data["data"]))
        return path

    def requests(self) -> list[str]:
        """The URL of every request the page made (Network.requestWillBeSent)."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event["method"] == "Network.requestWillBeSent"
        ]


def _above_nine(descriptor: int) -> int:
    moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(descriptor)
    return moved


@contextmanager
def chromium(profile: Path) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile, a page attached, network events on."""
    binary = chromium_path()
    to_browser_read, to_browser = os.pipe()
    from_browser, from_browser_write = os.pipe()
    # Move the child's ends above 9, so that putting them on 3 and 4 never closes one.
    to_browser_read, from_browser_write = (
        _above_nine(to_browser_read),
        _above_nine(from_browser_write),
    )
    # Chromium wants the pipe on descriptors 3 (its input) and 4 (its output).
    # bash, not sh: dash cannot redirect descriptors above 9.
    command = [
        "bash",
        "-c",
        f'exec "$0" "$@" 3<&{to_browser_read} 4>&{from_browser_write} '
        f"{to_browser_read}<&- {from_browser_write}>&-",
        binary,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
    ]
    process = subprocess.Popen(
        command,
        pass_fds=(to_browser_read, from_browser_write),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(to_browser_read)
    os.close(from_browser_write)
    browser = Browser(process, to_browser, from_browser)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = browser.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, browser=True
        )
        browser.session = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.send(f"{domain}.enable")
        yield browser
    finally:
        with suppress(ProtocolError, TimeoutError, OSError):
            browser.send("Browser.close", browser=True)
        # Helpers Chromium started (renderers, crash handler) are in its process group.
        stop_group(process, signal.SIGKILL)
        os.close(to_browser)
        os.close(from_browser)
