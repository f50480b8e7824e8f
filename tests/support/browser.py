"""Headless Chromium for the HTML report's browser test, driven over the Chrome DevTools
Protocol on a pipe (``--remote-debugging-pipe``: commands on fd 3, replies on fd 4, each
message JSON ended by a NUL byte). No port, no websocket, no Python dependency, and no
browser download: it uses Debian's ``chromium`` package (``apt-get install chromium``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe")
WAIT = 60.0  # seconds any one reply may take on a loaded machine before the test fails
INSTALL_HINT = ("headless Chromium is needed for the HTML report's browser test: "
                "`sudo apt-get install -y chromium` (or set LOCKSCAN_CHROMIUM=/path/to/chrome)")


def find_chromium() -> str | None:
    """The browser to run: $LOCKSCAN_CHROMIUM, else the first candidate on PATH."""
    chosen = os.environ.get("LOCKSCAN_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


def _exited(pid: int, seconds: float) -> bool:
    """Whether ``pid`` ended (and was reaped) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            return True
        time.sleep(0.05)
    return False


class BrowserError(AssertionError):
    pass


class Chromium:
    """One headless browser with one page; ``events`` keeps every event it sent."""

    def __init__(self, executable: str, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="lockscan-chromium-")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        argv = [executable, *FLAGS, f"--user-data-dir={self.profile.name}",
                f"--window-size={width},{height}"]
        # Chromium reads the protocol on fd 3 and writes it on fd 4. The pipe ends move
        # above 9 first, so putting them at 3 and 4 overwrites neither; every other fd
        # of ours is close-on-exec.
        spawn_to, spawn_from = _high(to_browser), _high(from_browser)
        self.pid = os.posix_spawn(executable, argv, dict(os.environ), file_actions=[
            (os.POSIX_SPAWN_DUP2, spawn_to, 3), (os.POSIX_SPAWN_DUP2, spawn_from, 4),
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
        os.close(spawn_to)
        os.close(spawn_from)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  session=True)

    # ------------------------------------------------------------- protocol
    def call(self, method: str, params: dict[str, Any] | None = None,
             session: bool = False) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._replies], [], [], WAIT)
            if not ready:
                raise BrowserError(f"Chromium sent nothing for {WAIT:g} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools pipe (did it start?)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def wait_for(self, method: str) -> dict[str, Any]:
        """The first event ``method`` not yet waited for, reading until it arrives."""
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == method and not event.get("_seen"):
                    event["_seen"] = True
                    return self.events[index]
            reply = self._read()
            if "method" in reply:
                self.events.append(reply)

    # ------------------------------------------------------------- page
    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able)."""
        reply = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": True}, session=True)
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression!r} threw: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, height: int | None = None, scale: float = 1) -> bytes:
        """A PNG of the page from the top: ``height`` CSS pixels, or the whole page,
        drawn at ``scale``."""
        size = self.evaluate("[document.documentElement.scrollWidth, "
                             "document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": 0, "width": size[0], "height": height or size[1], "scale": scale}
        reply = self.call("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                     "captureBeyondViewport": True}, session=True)
        return base64.b64decode(reply["data"])

    def errors(self) -> list[str]:
        """Uncaught exceptions, console errors and logged errors, one line each."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(details.get("exception", {}).get("description") or details["text"])
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found

    def requests(self) -> list[str]:
        """URLs the page asked for (the page itself included)."""
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    # ------------------------------------------------------------- lifetime
    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.call("Browser.close")
        if not _exited(self.pid, WAIT):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        for fd in (self._commands, self._replies):
            os.close(fd)
        self.profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
