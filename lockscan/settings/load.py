"""Project configuration: ``[tool.lockscan]`` in ``pyproject.toml`` or ``lockscan.toml``.

Loading is three pure steps: find the file at the scan root, validate its table
(every problem reported at once, each naming the file and the key), then lay the
command-line overrides on top. The result is a ``Settings``: the frozen
``ScanConfig`` the pipeline takes, the policy and failure conditions the CLI
checks afterwards, and where each value came from (``lockscan config``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from lockscan.errors import ConfigError
from lockscan.model.config import ScanConfig, default_jobs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
LOCKSCAN_TOML = "lockscan.toml"
DEFAULT = "default"

# fail_on conditions:
#   "new"            any coupling not in the base (diff) or baseline, any finding otherwise
#   "policy"         a vendor import or call outside allowed_modules
#   "unused-ignore"  a `# lockscan: ignore` that silences nothing
#   "effort>N", "index>N"            any target above N
#   "effort:T>N", "index:T>N"        target T above N
THRESHOLD = re.compile(
    r"^(?P<metric>effort|index)(?::(?P<target>[a-z0-9_]+))?\s*>\s*(?P<limit>\d+(?:\.\d+)?)$"
)
FLAGS = ("new", "policy", "unused-ignore")
DEFAULT_FAIL_ON = ("policy",)


@dataclass(frozen=True, slots=True)
class Condition:
    """One parsed ``fail_on`` entry."""

    text: str
    kind: str  # "new", "policy", "unused-ignore" or "threshold"
    metric: str = ""  # "effort" or "index" for thresholds
    target: str | None = None  # None: any target
    limit: float = 0.0


@dataclass(frozen=True)
class Settings:
    config: ScanConfig
    allowed_modules: tuple[str, ...] = ()
    fail_on: tuple[Condition, ...] = ()
    baseline: Path | None = None
    config_file: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        """The effective value of every configuration key, as TOML-like plain data."""
        config = self.config
        return {
            "include": list(config.include),
            "exclude": list(config.exclude),
            "rules": [str(p) for p in config.rule_dirs],
            "bundled_rules": config.bundled_rules,
            "select": list(config.select),
            "ignore": list(config.ignore),
            "targets": list(config.targets),
            "allowed_modules": list(self.allowed_modules),
            "fail_on": [c.text for c in self.fail_on],
            "max_file_size": config.max_file_size,
            "jobs": config.jobs,
            "baseline": str(self.baseline) if self.baseline else None,
            "report_unused_ignores": config.report_unused_ignores,
        }


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


def _fail_on(value: Any) -> str | None:
    problem = _str_list(value)
    if problem:
        return problem
    bad = [v for v in value if parse_condition(v) is None]
    if bad:
        return (f"cannot read {', '.join(repr(b) for b in bad)}; use "
                '"new", "policy", "unused-ignore", "effort>N", "index:TARGET>N"')
    return None


CHECKS = {
    "include": _str_list,
    "exclude": _str_list,
    "rules": _str_list,
    "bundled_rules": _bool,
    "select": _str_list,
    "ignore": _str_list,
    "targets": _str_list,
    "allowed_modules": _str_list,
    "fail_on": _fail_on,
    "max_file_size": _positive_int,
    "jobs": _positive_int,
    "baseline": _string,
    "report_unused_ignores": _bool,
}
KEYS = tuple(CHECKS)


def parse_condition(text: str) -> Condition | None:
    text = text.strip()
    if text in FLAGS:
        return Condition(text, text)
    match = THRESHOLD.match(text)
    if not match:
        return None
    return Condition(text, "threshold", match["metric"], match["target"], float(match["limit"]))


def find_config(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config file at the scan root and its lockscan table; ``lockscan.toml`` wins.

    A ``pyproject.toml`` without ``[tool.lockscan]`` is not a config file."""
    folder = root if root.is_dir() else root.parent
    for name in (LOCKSCAN_TOML, PYPROJECT):
        path = folder / name
        if not path.is_file():
            continue
        data = _read_toml(path)
        if name == LOCKSCAN_TOML:
            return path, data
        tool = data.get("tool")
        table = tool.get("lockscan") if isinstance(tool, dict) else None
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: `tool.lockscan` must be a table; write [tool.lockscan]")
        return path, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror}); check permissions") from exc


def validate(path: Path, table: Mapping[str, Any]) -> list[str]:
    """Every problem in the table, one line each, naming the file and the key."""
    section = "[tool.lockscan]" if path.name == PYPROJECT else path.name
    errors = []
    for key in sorted(table):
        check = CHECKS.get(key)
        if check is None:
            errors.append(f"{path}: unknown key `{key}` in {section}; "
                          f"known keys: {', '.join(KEYS)}")
            continue
        problem = check(table[key])
        if problem:
            errors.append(f"{path}: bad value for `{key}` in {section}: {problem}")
    return errors


def load_settings(root: Path, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Defaults, then the config file at ``root``, then ``overrides`` (CLI option values;
    ``None`` or an empty tuple means "not given"). Raises ``ConfigError`` listing every
    problem in the file."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = dict.fromkeys(KEYS, DEFAULT)
    found = find_config(root)
    config_file = None
    if found:
        config_file, table = found
        errors = validate(config_file, table)
        if errors:
            raise ConfigError(errors)
        base = config_file.parent
        for key, value in table.items():
            if key == "rules":
                value = [str(base / v) for v in value]
            elif key == "baseline":
                value = str(base / value)
            values[key] = value
            sources[key] = config_file.name
    for key, (option, value) in (overrides or {}).items():
        if value is None or value == ():
            continue
        values[key] = list(value) if isinstance(value, tuple) else value
        sources[key] = option
    return _build(values, config_file, sources)


def _build(values: Mapping[str, Any], config_file: Path | None,
           sources: Mapping[str, str]) -> Settings:
    tup = lambda key: tuple(values.get(key, ()))  # noqa: E731
    config = ScanConfig(
        include=tup("include"),
        exclude=tup("exclude"),
        rule_dirs=tuple(Path(p) for p in values.get("rules", ())),
        bundled_rules=values.get("bundled_rules", True),
        select=tup("select"),
        ignore=tup("ignore"),
        targets=tup("targets"),
        jobs=values.get("jobs") or default_jobs(),
        max_file_size=values.get("max_file_size", _default("max_file_size")),
        report_unused_ignores=values.get("report_unused_ignores", False),
    )
    conditions = []
    for text in values.get("fail_on", DEFAULT_FAIL_ON):
        condition = parse_condition(text)
        if condition is None:  # only CLI values reach here unvalidated
            raise ConfigError(f"--fail-on: cannot read {text!r}; use \"new\", \"policy\", "
                              "\"unused-ignore\", \"effort>N\" or \"index:TARGET>N\"")
        conditions.append(condition)
    baseline = values.get("baseline")
    return Settings(
        config=config,
        allowed_modules=tup("allowed_modules"),
        fail_on=tuple(conditions),
        baseline=Path(baseline) if baseline else None,
        config_file=config_file,
        sources=dict(sources),
    )


def _default(name: str) -> Any:
    for item in fields(ScanConfig):
        if item.name == name:
            return item.default
    raise KeyError(name)


def describe(settings: Settings) -> str:
    """``lockscan config``: one ``key = value  # source`` line per key, TOML-readable."""
    header = (f"# config file: {settings.config_file}" if settings.config_file
              else "# config file: none (defaults)")
    lines = [header]
    for key, value in settings.values().items():
        source = settings.sources.get(key, DEFAULT)
        if value is None:  # TOML has no null: show the key as a comment
            lines.append(f"# {key} is not set  # {source}")
        else:
            lines.append(f"{key} = {_toml(value)}  # {source}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
