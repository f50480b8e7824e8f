"""The switch cost in words, for the text report: one line per vendor to leave, a note per
target, the split of a target by the vendor whose code it is, and which move to explain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lockscan.model import Contributor, Leave, Omitted, ScanResult, SwitchCost
from lockscan.score.suggest import vendor_name

SHOWN_PATHS = 1
SHOWN_PARTS = 3


def listed(paths: tuple[str, ...], shown: int = SHOWN_PATHS) -> str:
    """The first ``shown`` paths, then how many more (the JSON report lists them all)."""
    return ", ".join(paths[:shown]) + (f", +{len(paths) - shown} more" if len(paths) > shown
                                       else "")


def _lines(lines: int, low: int, high: int) -> str:
    return f"~{lines} line{'s' * (lines != 1)} ({low}–{high})"


def leave_line(vendor: str, leave: Leave, names: Mapping[str, str] | None = None) -> str:
    """``OpenAI: ~120 lines (60–240) in 8 files, to anthropic, already supported (...)``."""
    name = vendor_name(vendor, names)
    if leave.lines == 0:
        cost = f"{name}: nothing to change"
    else:
        cost = (f"{name}: {_lines(leave.lines, leave.lines_low, leave.lines_high)} in "
                f"{leave.files} file{'s' * (leave.files != 1)}")
    if leave.supported_by:
        return f"{cost}, to {leave.target}, which the code already supports " \
               f"({listed(leave.supported_by)})"
    return f"{cost}, to {leave.target}, the cheapest alternative"


def target_note(cost: SwitchCost) -> str:
    """``already supports anthropic (agent/providers/anthropic.py)`` when other vendors'
    code is part of the move; ``upgrade of your own legacy code`` when only the target's
    own vendor's code costs something (stored data to rebuild: ``data_lines``)."""
    notes = []
    others = [p for p in cost.by_source if p.vendor != cost.target and p.lines > 0]
    own = [p for p in cost.by_source if p.vendor == cost.target and p.lines > 0]
    if cost.supported_by and others:
        notes.append(f"already supports {cost.target} ({listed(cost.supported_by)})")
    elif own and not others:
        notes.append("the upgrade of your own legacy code")
    return "; ".join(notes)


def data_note(cost: SwitchCost) -> str:
    """``+ stored data to rebuild (re-embed, retrain) in 3 files``, or nothing."""
    count = len(cost.data_migrations)
    if not count:
        return ""
    return f"+ stored data to rebuild (re-embed, retrain) in {count} file{'s' * (count != 1)}"


def data_lines(costs: Mapping[str, SwitchCost]) -> list[str]:
    """One line per distinct data note with the targets it applies to, so that a repo
    with embeddings does not repeat the same note under every target."""
    groups: dict[str, list[str]] = {}
    for name, cost in costs.items():
        note = data_note(cost)
        if note:
            groups.setdefault(note, []).append(name)
    return [f"{', '.join(names)}: {note}" for note, names in groups.items()]


def source_sentence(cost: SwitchCost, names: Mapping[str, str] | None = None) -> str:
    """Where a target's lines come from, where it matters (part of it is the upgrade of
    the target's own legacy code, part is other vendors' code): ``to anthropic: 12 lines
    from your OpenAI code, 40 from upgrading your legacy Anthropic calls``."""
    parts = [p for p in cost.by_source if p.lines > 0]
    if len(parts) < 2 or not any(p.vendor == cost.target for p in parts):
        return ""
    parts.sort(key=lambda p: p.vendor != cost.target)  # the upgrade first, then by size
    words = []
    for number, part in enumerate(parts[:SHOWN_PARTS]):
        unit = " lines" if number == 0 else ""
        name = vendor_name(part.vendor, names)
        if part.vendor == cost.target:
            words.append(f"{part.lines}{unit} from upgrading your legacy {name} calls")
        else:
            words.append(f"{part.lines}{unit} from your {name} code")
    rest = parts[SHOWN_PARTS:]
    if rest:
        words.append(f"{sum(p.lines for p in rest)} from {len(rest)} more")
    return f"to {cost.target}: " + ", ".join(words)


@dataclass(frozen=True)
class Explained:
    """The move the text report explains: what it is, its contributors and advice."""

    title: str
    contributors: tuple[Contributor, ...]
    omitted: Omitted | None
    suggestions: tuple[str, ...]


def explained(result: ScanResult, names: Mapping[str, str] | None = None) -> Explained | None:
    """The move a user most likely weighs: the one target asked for; else leaving the
    vendor with the most findings, to the alternative chosen for it; else the cheapest
    target that costs something."""
    costs = result.switch_cost
    if len(costs) == 1:
        return _row(next(iter(costs.values())))
    if result.leave:
        main = max(result.leave, key=lambda v: (result.summary.by_vendor.get(v, 0), v))
        leave = result.leave[main]
        if leave.lines > 0:
            return Explained(f"where leaving {vendor_name(main, names)} (to {leave.target}) "
                             f"costs most (~{leave.lines} lines)", leave.contributors, None,
                             leave.suggestions)
    paying = [c for c in costs.values() if c.lines > 0]
    return _row(min(paying, key=lambda c: (c.lines, c.target))) if paying else None


def _row(cost: SwitchCost) -> Explained:
    return Explained(f"where moving to {cost.target} costs most (~{cost.lines} lines)",
                     cost.contributors, cost.omitted, cost.suggestions)
