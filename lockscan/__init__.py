"""lockscan: how locked in is this Python code to one AI model provider?

The Python API is the command line's own use cases (``lockscan.app``)::

    from lockscan import scan
    result = scan("path/to/repo")          # settings from its [tool.lockscan]
    result.switch_cost["anthropic"].grade
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_APP = ("scan", "check", "baseline", "diff", "export_graph", "models", "settings_for",
        "rules_for", "failures", "diff_failures")
__all__ = ["ScanConfig", "ScanResult", "Settings", "__version__", *_APP]


def __getattr__(name: str) -> Any:
    # Resolved on first use (PEP 562): importing any lockscan module imports this
    # package first, and the whole pipeline behind ``scan`` is too heavy to load for
    # `lockscan --help` or a scan answered from the cache.
    if name in _APP:
        from lockscan import app

        return getattr(app, name)
    if name in ("ScanConfig", "ScanResult"):
        from lockscan import model

        return getattr(model, name)
    if name == "Settings":
        from lockscan.settings import Settings

        return Settings
    raise AttributeError(f"module 'lockscan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
