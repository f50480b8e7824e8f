"""Command-line options made from the settings' option table, and their values turned
back into overrides for ``lockscan.settings.load_settings``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lockscan.cache.store import CACHE_NAME, default_cache_path
from lockscan.settings import OPTIONS, Option

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _click_option(option: Option) -> Decorator:
    assert option.flag is not None
    names = [option.flag, *([option.short] if option.short else []), option.key]
    if option.kind == "bool":
        if option.negated:  # the flag can only turn the value off
            return click.option(*names, flag_value=False, default=None, help=option.help)
        return click.option(*names, is_flag=True, default=None, help=option.help)
    if option.kind in ("paths", "path"):
        kind: Any = click.Path(path_type=Path)
    elif option.kind == "int":
        kind = click.IntRange(min=1)
    else:
        kind = str
    return click.option(*names, multiple=option.multiple, type=kind, default=None,
                        metavar=option.metavar or None, help=option.help)


def settings_options(command: str, keys: frozenset[str] | None = None) -> Decorator:
    """The table's options that ``command`` takes (only ``keys``, when given); each
    overrides the config file."""

    def add(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(OPTIONS):
            if option.on(command) and (keys is None or option.key in keys):
                func = _click_option(option)(func)
        return func

    return add


def overrides(params: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """The table's values in ``params`` (removed from it) as settings overrides, keyed by
    config key: (the option as typed, its value); None or () means not given."""
    out: dict[str, tuple[str, Any]] = {}
    for option in OPTIONS:
        if option.flag is None or option.key not in params:
            continue
        value = params.pop(option.key)
        if option.kind == "paths":
            value = tuple(str(v) for v in value or ())
        elif option.kind == "path" and value is not None:
            value = str(value)
        out[option.key] = (option.flag, value)
    return out


def cache_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                        help="Folder of the facts cache (default: PATH/.lockscan).")(func)
    func = click.option("--no-cache", is_flag=True,
                        help="Analyze every file; neither read nor write the cache.")(func)
    return func


def cache_file(path: Path, cache_dir: Path | None) -> Path:
    return cache_dir / CACHE_NAME if cache_dir else default_cache_path(path)
