"""lockscan: how locked in is this Python code to one AI model provider?"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["ScanConfig", "__version__", "scan"]


def __getattr__(name: str) -> Any:
    # Resolved on first use (PEP 562): importing any lockscan module imports this
    # package first, and the whole pipeline behind ``scan`` is too heavy to load for
    # `lockscan --help` or a scan answered from the cache.
    if name == "scan":
        from lockscan.pipeline.scan import scan

        return scan
    if name == "ScanConfig":
        from lockscan.model.config import ScanConfig

        return ScanConfig
    raise AttributeError(f"module 'lockscan' has no attribute {name!r}")
