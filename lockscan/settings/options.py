"""The one table of lockscan's settings: each key of ``[tool.lockscan]``, its command-line
flag, its type, default, check and help. The click options, the config file's
validation, ``lockscan config``'s provenance and the README's configuration table are
all made from it (``tests/unit/settings/test_settings.py`` checks the README against it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from lockscan.model import ROLES

# fail_on conditions:
#   "new"            any coupling not in the base (diff) or baseline, any finding otherwise
#   "policy"         a vendor import or call outside allowed_modules
#   "unused-ignore"  a `# lockscan: ignore` that silences nothing
#   "lines>N", "effort>N", "index>N"        any target above N (lines: the estimate)
#   "lines:T>N", "effort:T>N", "index:T>N"  target T above N
THRESHOLD = re.compile(
    r"^(?P<metric>lines|effort|index)(?::(?P<target>[a-z0-9_]+))?\s*>\s*(?P<limit>\d+(?:\.\d+)?)$"
)
FLAGS = ("new", "policy", "unused-ignore")
CONDITION_FORMS = '"new", "policy", "unused-ignore", "lines>N", "lines:TARGET>N"'
CONDITION_CHOICES = '"new", "policy", "unused-ignore", "lines>N" or "lines:TARGET>N"'


@dataclass(frozen=True, slots=True)
class Condition:
    """One parsed ``fail_on`` entry."""

    text: str
    kind: str  # "new", "policy", "unused-ignore" or "threshold"
    metric: str = ""  # "effort" or "index" for thresholds
    target: str | None = None  # None: any target
    limit: float = 0.0


def parse_condition(text: str) -> Condition | None:
    text = text.strip()
    if text in FLAGS:
        return Condition(text, text)
    match = THRESHOLD.match(text)
    if not match:
        return None
    return Condition(text, "threshold", match["metric"], match["target"], float(match["limit"]))


# --------------------------------------------------------------------------- checks


def _str_list(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return 'expected a list of strings, e.g. ["a", "b"]'


def _positive_int(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return None
    return "expected a whole number >= 1"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "expected a non-empty string"


def _date(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return 'expected a date as YYYY-MM-DD, e.g. "2026-12-07"'


def _conditions(value: Any) -> str | None:
    problem = _str_list(value)
    if problem:
        return problem
    bad = [v for v in value if parse_condition(v) is None]
    if bad:
        return f"cannot read {', '.join(repr(b) for b in bad)}; use {CONDITION_FORMS}"
    return None


def _roles(value: Any) -> str | None:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                               for k, v in value.items()):
        return 'expected a table of glob = role, e.g. { "scripts/**" = "example" }'
    bad = sorted({v for v in value.values() if v not in ROLES})
    if bad:
        return f"unknown role {', '.join(bad)}; use one of {', '.join(ROLES)}"
    return None


def parse_role(text: str) -> tuple[str, str] | None:
    """``GLOB=ROLE`` as given on the command line."""
    glob, sep, role = text.rpartition("=")
    return (glob, role) if sep and glob and role in ROLES else None


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "list": _str_list, "paths": _str_list, "bool": _bool, "int": _positive_int,
    "path": _string, "conditions": _conditions, "roles": _roles, "date": _date,
}
TYPES = {"list": "list of strings", "paths": "list of paths", "bool": "boolean",
         "int": "integer", "path": "path", "conditions": "list of conditions",
         "roles": "table of glob = role", "date": "date"}


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True, slots=True)
class Option:
    """``kind``: list, paths (a list of paths, relative to the config file), bool, int,
    path (relative to the config file), conditions (``fail_on``), roles (a table of glob
    = role). Where it may be set: ``[tool.lockscan]`` always; ``flag`` on the command line
    (None: config file only) of the ``commands`` listed (None: every scanning command);
    ``negated``: the flag sets the value to false (``--no-bundled-rules``)."""

    key: str
    kind: str
    default: Any
    help: str
    flag: str | None = None
    metavar: str = ""
    short: str | None = None
    negated: bool = False
    commands: frozenset[str] | None = None

    def on(self, command: str) -> bool:
        """Whether ``command`` takes this option's flag."""
        return self.flag is not None and (self.commands is None or command in self.commands)

    @property
    def multiple(self) -> bool:
        return self.kind in ("list", "paths", "conditions", "roles")

    def check(self, value: Any) -> str | None:
        """What is wrong with ``value`` as read from a config file; None when it is fine."""
        return CHECKS[self.kind](value)

    @property
    def type_name(self) -> str:
        return TYPES[self.kind]


OPTIONS: tuple[Option, ...] = (
    Option("include", "list", (), "Only scan paths matching these globs.",
           "--include", "GLOB"),
    Option("exclude", "list", (), "Skip paths matching these globs.", "--exclude", "GLOB"),
    Option("rules", "paths", (), "Extra rules folders or .toml files.", "--rules", "DIR"),
    Option("bundled_rules", "bool", True, "Use the rules shipped with lockscan.",
           "--no-bundled-rules", negated=True),

    Option("select", "list", (), "Keep only these rule ids, vendors or kinds.",
           "--select", "X"),
    Option("ignore", "list", (), "Drop these rule ids, vendors or kinds.", "--ignore", "X"),
    Option("targets", "list", (), "Price a switch to these targets only (default: every "
           "vendor in the rules plus litellm).", "--target", "NAME"),
    Option("allowed_modules", "list", (), "Gateway modules (dotted names or path globs) "
           "allowed to use vendor SDKs.", "--allowed-module", "M"),
    Option("fail_on", "conditions", ("policy",), "Exit 1 when one holds: new, policy, "
           "unused-ignore, lines>N, lines:TARGET>N (also effort, index).", "--fail-on", "C"),
    Option("max_file_size", "int", 2_000_000, "Skip files larger than this many bytes "
           "(a notebook: its code cells, not its outputs).", "--max-file-size", "N"),
    Option("jobs", "int", None, "Worker processes (default: all cores).", "--jobs", "N",
           short="-j"),
    Option("baseline", "path", None, "Report only findings not in this baseline file.",
           "--baseline", "FILE", commands=frozenset({"scan", "check", "config"})),
    Option("report_unused_ignores", "bool", False, "Report `# lockscan: ignore` comments "
           "that silence nothing.", "--report-unused-ignores"),
    Option("roles", "roles", (), "What the files matching a glob are for (production, test, "
           "example, data, config, manifest), over the conventions of docs/scoring.md.",
           "--role", "GLOB=ROLE"),
    Option("as_of", "date", None, "The date model lifecycle statuses are computed for "
           "(YYYY-MM-DD); printed in the report.", "--as-of", "DATE"),
    Option("lifecycle_window", "int", 90, "A model whose shutdown is at most this many days "
           "away is reported as retiring.", "--lifecycle-window", "DAYS"),
)
BY_KEY: dict[str, Option] = {option.key: option for option in OPTIONS}
KEYS = tuple(BY_KEY)


def markdown_table() -> str:
    """The configuration table of the README, made from ``OPTIONS``."""
    rows = ["| key | option | type | default | meaning |", "|---|---|---|---|---|"]
    for option in OPTIONS:
        flag = f"`{option.flag}{' ' + option.metavar if option.metavar else ''}`" \
            if option.flag else "—"
        rows.append(f"| `{option.key}` | {flag} | {option.type_name} | "
                    f"{_default_text(option)} | {option.help} |")
    return "\n".join(rows) + "\n"


def _default_text(option: Option) -> str:
    if option.default is None:
        return {"jobs": "all cores", "as_of": "today (UTC)"}.get(option.key, "none")
    if isinstance(option.default, bool):
        return f"`{str(option.default).lower()}`"
    if isinstance(option.default, tuple):
        return f"`{list(option.default)}`".replace("'", '"') if option.default else "`[]`"
    return f"`{option.default}`"
