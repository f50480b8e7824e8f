"""What a scan says about the models the code names: each distinct model id, where it is
named, its lifecycle on a given date and, for open-weight families, the licence a team
that self-hosts it would be bound by. Built after the scan (``lockscan.pipeline.models``)
from the ``model_id`` findings and the bundled model data (``lockscan.catalog``)."""

from __future__ import annotations

from dataclasses import dataclass

# Lifecycle statuses, worst first (the order the models table sorts by):
#   retired     past its shutdown date: calls fail
#   retiring    shuts down within the configured window
#   deprecated  deprecated by the vendor, or a shutdown date further out
#   unlisted    of a known family, but not in the data (retired and removed, or newer)
#   current     in the data, no retirement announced
#   unknown     no lifecycle facts: not a vendor the data covers, or not a family it knows
STATUSES: tuple[str, ...] = ("retired", "retiring", "deprecated", "unlisted", "current", "unknown")


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """The lifecycle of one model id at one vendor on ``ModelReport.as_of``."""

    status: str  # STATUSES
    pinned: bool | None = None  # None: not known (not in the data)
    family: str | None = None
    snapshot: str | None = None  # the date or marker that pins the id
    deprecated: str | None = None
    shutdown: str | None = None  # the earliest shutdown date over its platforms
    successor: str | None = None
    alias_of: str | None = None  # the snapshot a floating alias points to, where documented
    platforms: tuple[tuple[str, str], ...] = ()  # (platform, shutdown) where they differ
    guess: str | None = None  # unlisted ids: "newer" or "retired" (more likely), or None
    basis: str = ""  # why: the data's facts or the guess's reasoning, one sentence
    sources: tuple[str, ...] = ()  # URLs of the facts


@dataclass(frozen=True, slots=True)
class LicenceInfo:
    """The licence of an open-weight family's weights."""

    key: str  # the licence's key in the data (``llama-3.1``)
    name: str
    spdx: str | None  # None where the licence has no SPDX id
    url: str
    family: str  # the open-weight family the id names (``llama-3.1``)
    terms: tuple[tuple[str, str], ...] = ()  # (term, what it says): commercial_use, naming...


@dataclass(frozen=True, slots=True)
class ModelSite:
    path: str
    line: int
    role: str
    rule: str
    cell: int | None = None


@dataclass(frozen=True, slots=True)
class ModelUse:
    """One distinct model id at one vendor, and every place the code names it."""

    id: str  # as the vendor knows it: provider prefixes (``anthropic/``) taken off
    vendor: str
    lifecycle: Lifecycle
    licence: LicenceInfo | None = None
    sites: tuple[ModelSite, ...] = ()
    spellings: tuple[str, ...] = ()  # as written, where it differs from ``id``

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(sorted({site.path for site in self.sites}))

    def by_role(self) -> dict[str, int]:
        """Sites per role, in the order roles are listed (``ROLES``)."""
        from lockscan.model.facts import ROLES

        counts = {role: sum(1 for s in self.sites if s.role == role) for role in ROLES}
        return {role: count for role, count in counts.items() if count}


@dataclass(frozen=True, slots=True)
class ModelReport:
    """Every model the code names, on one date, with the data it was judged by."""

    as_of: str  # ISO date the lifecycle statuses are computed for
    window_days: int  # "retiring": shutdown within this many days of as_of
    data_refreshed: str  # when the bundled model data was last refreshed
    data_provenance: str  # what it was built from (``litellm 1.110.2 + vendor pages``)
    models: tuple[ModelUse, ...] = ()
