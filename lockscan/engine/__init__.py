"""The engine: one file's bytes and the compiled rules in, ``FileFacts`` out.

Pure per-file analysis (``analyzer``): the byte prefilter, the Python analyzer
(``python/``), notebooks, manifests, prompt and config files, and inline suppressions.
"""

from lockscan.engine.analyzer import SELF_SCREENED, Analyzer, analyze_file
from lockscan.engine.source import DecodeError, count_lines, decode, failed_facts

__all__ = ["SELF_SCREENED", "Analyzer", "DecodeError", "analyze_file", "count_lines", "decode",
           "failed_facts"]
