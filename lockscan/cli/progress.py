"""A progress bar on stderr, for people watching a long scan in a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from lockscan.pipeline.executor import Progress


@contextmanager
def progress_bar(delay: float = 0.5, interactive: bool | None = None
                 ) -> Iterator[Progress | None]:
    """A rich progress bar on stderr, only for an interactive terminal and only once
    the scan has run for ``delay`` seconds: quick scans and pipes see nothing."""
    if not (sys.stderr.isatty() if interactive is None else interactive):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    started = time.monotonic()
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            if time.monotonic() - started < delay:
                return
            bar = Bar(console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("analyzing", total=total)
        state["bar"].update(state["task"], completed=done, total=total)  # type: ignore[attr-defined]

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()  # type: ignore[attr-defined]
