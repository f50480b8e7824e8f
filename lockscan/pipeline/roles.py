"""What each file is for: production code, a test, an example (docs, notebooks,
tutorials), data (benchmark or website content), config, or a manifest.

Every finding carries its file's role. Findings are reported in every role; the score
prices them by role (``lockscan.score``): a model id in a test fixture is not the same
work as one in the code that calls the model. Roles come from conventions (below) and
may be set per glob in ``[tool.lockscan] roles``, which win over the conventions.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

TEST_DIRS = frozenset({"test", "tests", "testing", "unit_tests", "integration_tests", "e2e"})
EXAMPLE_DIRS = frozenset({"example", "examples", "docs", "doc", "documentation", "cookbook",
                          "cookbooks", "notebooks", "notebook", "tutorial", "tutorials", "demo",
                          "demos", "samples", "sample", "recipes", "quickstarts", "guides",
                          "workshop", "workshops", "playground"})
DATA_DIRS = frozenset({"data", "datasets", "dataset", "fixtures", "benchmark", "benchmarks",
                       "evals", "eval", "website", "site", "web", "static", "assets",
                       "testdata", "test_data", "results", "leaderboard"})
_TEST_FILE = re.compile(r"^(test_.*|.*_test|.*_tests|tests?|conftest)\.py$")


@lru_cache(maxsize=65536)
def conventional_role(path: str, kind: str) -> str:
    """The role the conventions give a file of ``kind`` at ``path`` (``/``-separated)."""
    parts = path.lower().split("/")
    folders, name = parts[:-1], parts[-1]
    if kind == "manifest":
        return "manifest"
    if kind in ("python", "notebook") and (_TEST_FILE.match(name) or TEST_DIRS & set(folders)):
        return "test"
    if kind == "config":
        return "data" if DATA_DIRS & set(folders) else "config"
    if kind == "notebook" or EXAMPLE_DIRS & set(folders):
        return "example"
    if TEST_DIRS & set(folders):
        return "test"
    if DATA_DIRS & set(folders) and kind != "python":
        return "data"
    return "production"


def role_of(path: str, kind: str, overrides: Sequence[tuple[str, str]] = ()) -> str:
    """``overrides`` (glob, role) in order, the first match winning; else the conventions.
    A glob ending in ``/**`` also matches the folder's files at any depth."""
    for pattern, role in overrides:
        folder = pattern.removesuffix("/**")
        if fnmatch.fnmatchcase(path, pattern) or (folder != pattern
                                                  and path.startswith(folder + "/")):
            return role
    return conventional_role(path, kind)


def kind_of(path: str) -> str:
    """The file kind a finding's path implies (findings do not carry their file's kind)."""
    from lockscan.pipeline.discover import classify

    return classify(path) or "python"


def role_lookup(kinds: Mapping[str, str], overrides: Sequence[tuple[str, str]] = ()
                ) -> Callable[[str], str]:
    """path -> its file's role, each path worked out once; ``kinds``: the kind of each
    discovered file."""
    roles: dict[str, str] = {}

    def lookup(path: str) -> str:
        role = roles.get(path)
        if role is None:
            role = roles[path] = role_of(path, kinds.get(path) or kind_of(path), overrides)
        return role

    return lookup
