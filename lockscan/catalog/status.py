"""A model id's lifecycle on a date: a pure function of the data's records, the date and
the retiring window. The date is an input, never read from the clock here, so the same
inputs always give the same status (``lockscan.pipeline.models`` resolves "today")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from lockscan.catalog.data import ModelRecord
from lockscan.catalog.lookup import Catalog, Match
from lockscan.model import Lifecycle

_DATE = re.compile(r"(?<!\d)(20\d\d)-?([01]\d)-?([0-3]\d)(?!\d)")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)*)(?![\d])([a-zA-Z]?)")


def lifecycle(match: Match, catalog: Catalog, vendor: str, as_of: date, window: int) -> Lifecycle:
    """The status of ``match`` (an id looked up at ``vendor``) on ``as_of``."""
    if match.records:
        return _listed(match.records, as_of, window)
    if match.family:
        return _unlisted(match, catalog, vendor, as_of)
    return Lifecycle("unknown")


def _listed(records: tuple[ModelRecord, ...], as_of: date, window: int) -> Lifecycle:
    first = records[0]
    dated = sorted((r.shutdown, r.platform or "") for r in records if r.shutdown)
    shutdown = dated[0][0] if dated else None
    platforms = tuple((platform, day) for day, platform in dated) \
        if len({day for day, _ in dated}) > 1 else ()
    deprecated = min((r.deprecated for r in records if r.deprecated), default=None)
    successor = next((r.successor for r in sorted(records, key=lambda r: r.shutdown or "9")
                      if r.successor), None)
    not_before = min((r.shutdown_not_before for r in records if r.shutdown_not_before), default=None)
    if shutdown and date.fromisoformat(shutdown) <= as_of:
        status, basis = "retired", f"shut down on {shutdown}"
    elif shutdown and date.fromisoformat(shutdown) <= as_of + timedelta(days=window):
        days = (date.fromisoformat(shutdown) - as_of).days
        status, basis = "retiring", f"shuts down on {shutdown}, in {days} day{'s' * (days != 1)}"
    elif shutdown:
        status, basis = "deprecated", f"shuts down on {shutdown}"
    elif deprecated or not_before:
        status = "deprecated"
        basis = (f"deprecated on {deprecated}" if deprecated else "deprecated") + \
            (f", no shutdown date yet (not before {not_before})" if not_before
             else ", no shutdown date yet")
    else:
        status, basis = "current", "no retirement announced"
    if platforms:
        basis += " (" + "; ".join(f"{p or 'default'} {d}" for p, d in platforms) + ")"
    return Lifecycle(
        status=status, pinned=all(r.pinned for r in records), family=first.family,
        snapshot=first.snapshot, deprecated=deprecated, shutdown=shutdown,
        successor=successor, alias_of=first.alias_of, platforms=platforms, basis=basis,
        sources=tuple(dict.fromkeys(url for r in records for url in r.sources)))


def _unlisted(match: Match, catalog: Catalog, vendor: str, as_of: date) -> Lifecycle:
    """An id of a known family that the data does not list: more likely retired and
    removed from the vendor's list, or newer than the data, judged from its peers (the
    family's ids, or, when the data lists none, the ids of the vendor's families of the
    same stem: ``gemini-1.5`` beside ``gemini-2.0``)."""
    family = match.family or ""
    own_date = _date_in(match.id)
    if own_date and own_date > catalog.refreshed:
        return Lifecycle("unlisted", family=family, guess="newer",
                         basis=f"its date {own_date} is after the data's")
    peers = catalog.members(vendor, family) or catalog.stem_members(vendor, family)
    if not peers:
        return Lifecycle("unlisted", family=family, guess="newer",
                         basis=f"the data lists no {family} id yet")
    key = version_key(match.id)
    retired = [r for r in peers if r.shutdown and date.fromisoformat(r.shutdown) <= as_of
               and version_key(r.id) >= key]
    if retired:
        first = min(retired, key=lambda r: (version_key(r.id), r.id))
        return Lifecycle("unlisted", family=family, guess="retired", successor=first.successor,
                         basis=f"`{first.id}`, which sorts after it, was retired on "
                               f"{first.shutdown}")
    newest = max(peers, key=lambda r: (version_key(r.id), r.id))
    if key > version_key(newest.id):
        return Lifecycle("unlisted", family=family, guess="newer",
                         basis=f"it sorts after every {family} id in the data "
                               f"(newest: `{newest.id}`)")
    return Lifecycle("unlisted", family=family,
                     basis=f"it sorts before `{newest.id}` and no id after it is retired, "
                           "so the data cannot tell")


def version_key(model_id: str) -> tuple[tuple[int, ...], int]:
    """(version numbers, date stamp) of an id, for ordering ids of one family: the
    numbers that are versions (``4.1``, ``3-5``), then the date or 4-digit stamp
    (``20240229``, ``0613``, ``2411``). Parameter counts (``8b``) are left out."""
    versions: list[int] = []
    stamp = 0
    dated = _date_in(model_id)
    for number, unit in _NUMBER.findall(_DATE.sub("", model_id)):
        if unit.lower() in ("b", "m", "k", "x"):
            continue
        parts = number.split(".")
        if len(parts) == 1 and len(number) >= 4:
            stamp = max(stamp, int(number))
        else:
            versions.extend(int(p) for p in parts)
    if dated:
        stamp = int(dated.replace("-", ""))
    return tuple(versions), stamp


def _date_in(model_id: str) -> str | None:
    found = _DATE.search(model_id)
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_day(text: str) -> date:
    """An ISO date (``2026-12-07``); ``ValueError`` otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)
