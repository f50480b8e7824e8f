"""What ``allowed_modules`` names: path globs (``app/llm/**``, ``app/gateway.py``) or dotted
module names (``app.llm``). The gateway policy (``lockscan.gates.policy``) checks findings
against them; the score names them as the gateway its advice moves code behind."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

SOURCE_SUFFIXES = (".py", ".ipynb")


def is_path_pattern(pattern: str) -> bool:
    """``app/llm/**`` or ``app/gateway.py`` is a path glob; ``app.llm`` a module name."""
    return "/" in pattern or pattern.endswith(SOURCE_SUFFIXES)


def allowed(path: str, module: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if is_path_pattern(pattern):
            folder = pattern.rstrip("/").removesuffix("/**")
            if fnmatch.fnmatchcase(path, pattern) or path.startswith(folder + "/"):
                return True
        elif (module == pattern or module.startswith(pattern + ".")
              or fnmatch.fnmatchcase(module, pattern)):
            return True
    return False
