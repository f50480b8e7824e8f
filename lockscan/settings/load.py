"""Project configuration: ``[tool.lockscan]`` in ``pyproject.toml`` or ``lockscan.toml``.

Loading is three pure steps: find the file at the scan root, validate its table against
the option table (every problem reported at once, each naming the file and the key),
then lay the command-line overrides on top. The result is a ``Settings``: the frozen
``ScanConfig`` the pipeline takes, the policy and failure conditions the gates check
afterwards, every effective value and where it came from (``lockscan config``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockscan.errors import ConfigError
from lockscan.model import ROLES, ScanConfig, default_jobs
from lockscan.settings.options import (
    BY_KEY,
    CONDITION_CHOICES,
    KEYS,
    OPTIONS,
    Condition,
    parse_condition,
    parse_role,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
LOCKSCAN_TOML = "lockscan.toml"
DEFAULT = "default"
# Option key -> ScanConfig field, where they differ.
CONFIG_FIELDS = {"rules": "rule_dirs"}
SETTINGS_ONLY = frozenset({"allowed_modules", "fail_on", "baseline"})


@dataclass(frozen=True)
class Settings:
    config: ScanConfig
    allowed_modules: tuple[str, ...] = ()
    fail_on: tuple[Condition, ...] = ()
    baseline: Path | None = None
    config_file: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        """The effective value of every configuration key, as TOML-like plain data, in
        the order of the option table."""
        out: dict[str, Any] = {}
        for key in KEYS:
            if key == "allowed_modules":
                out[key] = list(self.allowed_modules)
            elif key == "fail_on":
                out[key] = [c.text for c in self.fail_on]
            elif key == "baseline":
                out[key] = str(self.baseline) if self.baseline else None
            elif key == "roles":
                out[key] = dict(self.config.roles)
            else:
                value = getattr(self.config, CONFIG_FIELDS.get(key, key))
                out[key] = [str(v) for v in value] if isinstance(value, tuple) else value
        return out


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
            raise ConfigError([(str(path), "`tool.lockscan` must be a table; write [tool.lockscan]")])
        return path, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([(str(path), f"not valid TOML ({exc}); fix the syntax")]) from exc
    except OSError as exc:
        raise ConfigError([(str(path), f"cannot read ({exc.strerror}); check permissions")]) \
            from exc


def validate(path: Path, table: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every problem in the table, each naming the key."""
    section = "[tool.lockscan]" if path.name == PYPROJECT else path.name
    errors = []
    for key in sorted(table):
        option = BY_KEY.get(key)
        if option is None:
            errors.append((str(path), f"unknown key `{key}` in {section}; "
                                      f"known keys: {', '.join(KEYS)}"))
            continue
        problem = option.check(table[key])
        if problem:
            errors.append((str(path), f"bad value for `{key}` in {section}: {problem}"))
    return errors


def load_settings(root: Path, overrides: Mapping[str, tuple[str, Any]] | None = None) -> Settings:
    """Defaults, then the config file at ``root``, then ``overrides`` (key -> (option as
    typed, value); ``None`` or an empty tuple means "not given"). Raises ``ConfigError``
    listing every problem in the file."""
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
            kind = BY_KEY[key].kind
            if kind == "paths":
                value = [str(base / v) for v in value]
            elif kind == "path":
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
    fields: dict[str, Any] = {}
    for option in OPTIONS:
        if option.key in SETTINGS_ONLY:
            continue
        value = values.get(option.key, option.default)
        if option.kind == "paths":
            value = tuple(Path(p) for p in value)
        elif option.kind == "list":
            value = tuple(value)
        elif option.kind == "roles":
            value = _role_pairs(value)
        fields[CONFIG_FIELDS.get(option.key, option.key)] = value
    fields["jobs"] = fields["jobs"] or default_jobs()
    if fields["as_of"] is not None and BY_KEY["as_of"].check(fields["as_of"]):
        # only command-line values reach here unvalidated
        raise ConfigError([("--as-of", f"cannot read {fields['as_of']!r}; "
                                       f"{BY_KEY['as_of'].check(fields['as_of'])}")])
    # The gateway policy's modules are also the gateway the score's advice names.
    fields["allowed_modules"] = tuple(values.get("allowed_modules", ()))
    conditions = []
    for text in values.get("fail_on", BY_KEY["fail_on"].default):
        condition = parse_condition(text)
        if condition is None:  # only command-line values reach here unvalidated
            raise ConfigError([("--fail-on", f"cannot read {text!r}; use {CONDITION_CHOICES}")])
        conditions.append(condition)
    baseline = values.get("baseline")
    return Settings(
        config=ScanConfig(**fields),
        allowed_modules=tuple(values.get("allowed_modules", ())),
        fail_on=tuple(conditions),
        baseline=Path(baseline) if baseline else None,
        config_file=config_file,
        sources=dict(sources),
    )


def _role_pairs(value: Any) -> tuple[tuple[str, str], ...]:
    """(glob, role) pairs from a config table (in its order) or ``--role GLOB=ROLE``
    values (each checked here: they reach this point unvalidated)."""
    if isinstance(value, dict):
        return tuple(value.items())
    pairs = []
    for text in value:
        pair = parse_role(text)
        if pair is None:
            raise ConfigError([("--role", f"cannot read {text!r}; use GLOB=ROLE with a role "
                                          f"of {', '.join(ROLES)}")])
        pairs.append(pair)
    return tuple(pairs)
