"""lockscan: how locked in is this Python code to one AI model provider?"""

from __future__ import annotations

__version__ = "0.1.0"

from lockscan.config import ScanConfig
from lockscan.scan import scan

__all__ = ["ScanConfig", "__version__", "scan"]
