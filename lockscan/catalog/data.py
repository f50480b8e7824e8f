"""The bundled model data (``rules/models/lifecycle.json`` and ``licences.json``, built
by ``scripts/build_model_data.py``) read into frozen records. Reading runs no code and
uses no network; a file that is missing or malformed is a ``CatalogError`` naming it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lockscan.errors import LockscanError
from lockscan.model import LicenceInfo
from lockscan.ruleset.regex import PatternError, Regex, compile_text

LIFECYCLE_FILE = "lifecycle.json"
LICENCES_FILE = "licences.json"
# The licence fields that say what a self-hosting team is bound by, in the order shown.
TERMS = ("commercial_use", "user_threshold", "naming", "attribution", "acceptable_use",
         "other_models", "regional")


class CatalogError(LockscanError):
    """The bundled model data cannot be read."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """One model id at one vendor (and platform) in ``lifecycle.json``."""

    id: str
    vendor: str
    pinned: bool
    family: str | None = None
    platform: str | None = None
    snapshot: str | None = None
    deprecated: str | None = None
    shutdown: str | None = None
    shutdown_not_before: str | None = None
    successor: str | None = None
    alias_of: str | None = None  # the snapshot a floating alias points to, where documented
    sources: tuple[str, ...] = ()  # URLs of the facts, in field order


@dataclass(frozen=True, slots=True)
class FamilyPattern:
    vendor: str
    family: str
    regex: Regex


@dataclass(frozen=True, slots=True)
class OpenFamily:
    """An open-weight family and the patterns that name its weights."""

    family: str
    licence: str  # key into the licences
    maker: str
    patterns: tuple[Regex, ...]


@dataclass(frozen=True, eq=False)
class CatalogData:
    refreshed: str
    provenance: str
    records: Mapping[tuple[str, str], tuple[ModelRecord, ...]]  # (vendor, id) -> records
    families: tuple[FamilyPattern, ...]
    licences: Mapping[str, LicenceInfo]  # key -> licence (family left empty)
    open_families: tuple[OpenFamily, ...]


def models_dir() -> Path:
    from lockscan.ruleset.loader import bundled_rules_dir

    return bundled_rules_dir() / "models"


def load_data(folder: Path | None = None) -> CatalogData:
    """Read both files of ``folder`` (default: the bundled ``models`` folder)."""
    folder = folder or models_dir()
    lifecycle = _read(folder / LIFECYCLE_FILE)
    licences = _read(folder / LICENCES_FILE)
    where = str(folder / LIFECYCLE_FILE)
    try:
        sources = lifecycle["sources"]
        records: dict[tuple[str, str], list[ModelRecord]] = {}
        for item in lifecycle["models"]:
            record = _record(item, sources)
            records.setdefault((record.vendor, record.id), []).append(record)
        families = tuple(FamilyPattern(f["vendor"], f["family"], _regex(f["pattern"], where))
                         for f in lifecycle["families"])
        refreshed = str(lifecycle["refreshed"])
        litellm = re.search(r"litellm [0-9][0-9.]*", str(sources.get("litellm", {}).get("what", "")))
        provenance = f"{litellm.group(0)} and vendor pages" if litellm else "vendor pages"
    except (KeyError, TypeError) as exc:
        raise CatalogError(where, f"unexpected layout ({exc}); rebuild it with "
                                  "scripts/build_model_data.py") from exc
    return CatalogData(refreshed, provenance, {k: tuple(v) for k, v in records.items()},
                       families, *_licences(licences, str(folder / LICENCES_FILE)))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read ({exc.strerror}); reinstall lockscan") from exc
    except ValueError as exc:
        raise CatalogError(str(path), f"not valid JSON ({exc}); rebuild it with "
                                      "scripts/build_model_data.py") from exc
    if not isinstance(data, dict):
        raise CatalogError(str(path), "not a JSON object; rebuild it with scripts/build_model_data.py")
    return data


def _regex(pattern: str, where: str) -> Regex:
    try:
        return compile_text(pattern)
    except PatternError as exc:
        raise CatalogError(where, f"pattern {pattern!r}: {exc}") from exc


def _record(item: Mapping[str, Any], sources: Mapping[str, Any]) -> ModelRecord:
    keys = item.get("sources", {})
    urls = tuple(dict.fromkeys(str(sources[k]["url"]) for k in keys.values() if k in sources))
    cites = item.get("litellm_cites")
    if cites:
        urls = tuple(dict.fromkeys((*urls, str(cites))))
    return ModelRecord(
        id=str(item["id"]), vendor=str(item["vendor"]), pinned=bool(item["pinned"]),
        family=item.get("family"), platform=item.get("platform"),
        snapshot=item.get("snapshot"), deprecated=item.get("deprecated"),
        shutdown=item.get("shutdown"), shutdown_not_before=item.get("shutdown_not_before"),
        successor=item.get("successor"), alias_of=item.get("alias_of"), sources=urls)


def _licences(data: Mapping[str, Any], where: str
              ) -> tuple[dict[str, LicenceInfo], tuple[OpenFamily, ...]]:
    try:
        licences = {
            key: LicenceInfo(key=key, name=str(item["name"]), spdx=item.get("spdx"),
                             url=str(item["url"]), family="",
                             terms=tuple((t, str(item[t])) for t in TERMS if item.get(t)))
            for key, item in sorted(data["licences"].items())}
        families = tuple(
            OpenFamily(str(f["family"]), str(f["licence"]), str(f.get("maker", "")),
                       tuple(_regex(p, where) for p in f["patterns"]))
            for f in data["families"])
    except (KeyError, TypeError) as exc:
        raise CatalogError(where, f"unexpected layout ({exc}); rebuild it with "
                                  "scripts/build_model_data.py") from exc
    unknown = sorted({f.licence for f in families} - set(licences))
    if unknown:
        raise CatalogError(where, f"families name unknown licences {', '.join(unknown)}")
    return licences, families
