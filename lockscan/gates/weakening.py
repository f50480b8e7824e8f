"""What a change does to its own gate: every way the head's settings, inline suppressions
or baseline let more coupling through than the base's did.

``lockscan diff`` judges a change by the base revision's gate (its ``[tool.lockscan]``
and baseline), so a pull request cannot relax the check that judges it; these functions
name, in a reviewer's words, what the pull request would relax once merged. Each is a
pure function of the two sides' settings, files or baseline entries.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lockscan.gates.baseline import baseline_entries
from lockscan.model import Finding
from lockscan.settings import Settings, parse_condition

# The keys a gate is made of, in the order a reviewer reads them; `jobs` is not one.
GATE_KEYS = ("allowed_modules", "fail_on", "ignore", "select", "exclude", "include", "roles",
             "rules", "bundled_rules", "targets", "max_file_size", "report_unused_ignores",
             "baseline")
PATH_KEYS = frozenset({"rules", "baseline"})  # relative to the side's root when compared
SHOWN = 3  # examples named in one message
_FLAG_EFFECT = {
    "policy": "vendor code outside the allowed modules no longer fails the check",
    "new": "new vendor coupling no longer fails the check",
    "unused-ignore": "`# lockscan: ignore` comments that silence nothing no longer fail it",
}


@dataclass(frozen=True, slots=True)
class Weakening:
    """One change that lets more coupling through the gate.

    ``kind``: ``config`` (a setting), ``suppression`` (a new inline ignore) or
    ``baseline`` (a finding newly accepted); ``key``: the setting, ``ignore`` or
    ``baseline``; ``path`` and ``line`` (0: the whole file) say where, relative to the
    scanned folder; ``message`` says what it lets through."""

    kind: str
    key: str
    path: str
    line: int
    message: str


# --------------------------------------------------------------------------- settings


def config_weakenings(base: Settings, head: Settings, base_root: Path, head_root: Path,
                      findings: Sequence[Finding] = ()) -> list[Weakening]:
    """Every setting the head relaxes compared with the base. ``findings``: the head's
    findings, to say how many a change would hide or re-file."""
    before, after = _comparable(base, base_root), _comparable(head, head_root)
    where, lines = _config_place(head, head_root)
    out = []
    for key in GATE_KEYS:
        if head.sources.get(key) == base.sources.get(key) and \
                head.sources.get(key, "").startswith("-"):
            continue  # set on the command line: the same on both sides
        if before[key] == after[key]:
            continue
        for message in _relaxed(key, before[key], after[key], head, findings):
            out.append(Weakening("config", key, where, lines.get(key, 0), message))
    return out


def _comparable(settings: Settings, root: Path) -> dict[str, Any]:
    values = settings.values()
    for key in PATH_KEYS:
        value = values[key]
        if isinstance(value, list):
            values[key] = [_relative(v, root) for v in value]
        elif value:
            values[key] = _relative(value, root)
    return values


def _relative(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _relaxed(key: str, before: Any, after: Any, head: Settings,
             findings: Sequence[Finding]) -> list[str]:
    """What relaxing ``key`` from ``before`` to ``after`` lets through (nothing when the
    change only tightens the gate)."""
    if key == "allowed_modules":
        if before and not after:
            return [f"`allowed_modules` removed (was {_names(before)}): the gateway policy is "
                    "off, vendor SDK code may sit anywhere"]
        added = [m for m in after if m not in before]
        return [f"`allowed_modules` adds {_names(added)}: vendor SDK code there is no longer "
                "a policy violation"] if before and added else []
    if key == "fail_on":
        return _fail_on_relaxed(before, after)
    if key == "ignore":
        added = [x for x in after if x not in before]
        return [f"`ignore` adds {_names(added)}: {_hidden(findings, added)} no longer "
                "reported"] if added else []
    if key == "select":
        return _narrowed(before, after, f"`select` now keeps only {_names(after)}: every other "
                         "rule is off", "`select` drops {}: those rules are off")
    if key == "exclude":
        added = [x for x in after if x not in before]
        return [f"`exclude` adds {_names(added)}: files there are no longer scanned"] \
            if added else []
    if key == "include":
        return _narrowed(before, after, f"`include` now limits the scan to {_names(after)}: "
                         "every other file is no longer scanned",
                         "`include` drops {}: files there are no longer scanned")
    if key == "roles":
        return _roles_relaxed(before, after, findings)
    if key == "rules":
        dropped = [x for x in before if x not in after]
        return [f"`rules` drops {_names(dropped)}: their rules no longer run"] if dropped else []
    if key == "bundled_rules":
        return ["`bundled_rules = false`: lockscan's own vendor rules no longer run"] \
            if before and not after else []
    if key == "targets":
        return _narrowed(before, after, f"`targets` now prices only {_names(after)}: other "
                         "switches are no longer scored, nor checked by `fail_on` thresholds",
                         "`targets` drops {}: no longer scored, nor checked by `fail_on` "
                         "thresholds")
    if key == "max_file_size":
        return [f"`max_file_size` lowered from {before} to {after} bytes: larger files are "
                "skipped"] if after < before else []
    if key == "report_unused_ignores":
        return ["`report_unused_ignores` turned off: `# lockscan: ignore` comments that "
                "silence nothing are no longer reported"] if before and not after else []
    if key == "baseline":
        return [f"`baseline` now reads `{after}` (was `{before or 'none'}`)"] if after else []
    return []


def _fail_on_relaxed(before: list[str], after: list[str]) -> list[str]:
    out = []
    kept = [c for c in (parse_condition(t) for t in after) if c is not None]
    for text in before:
        condition = parse_condition(text)
        if condition is None or text in after:
            continue
        if condition.kind != "threshold":
            out.append(f"`fail_on` drops `{text}`: {_FLAG_EFFECT[condition.kind]}")
            continue
        same = [c for c in kept if c.kind == "threshold" and c.metric == condition.metric
                and c.target == condition.target]
        if not same:
            out.append(f"`fail_on` drops `{text}`: that threshold is no longer checked")
        elif min(c.limit for c in same) > condition.limit:
            raised = min(same, key=lambda c: c.limit)
            out.append(f"`fail_on` raises `{text}` to `{raised.text}`: more switch cost passes")
    return out


def _roles_relaxed(before: Mapping[str, str], after: Mapping[str, str],
                   findings: Sequence[Finding]) -> list[str]:
    from lockscan.pipeline.roles import kind_of, role_of

    out = []
    for glob, role in after.items():
        if role == "production" or before.get(glob) == role:
            continue
        moved = sorted({f.path for f in findings if f.role == "production"
                        and role_of(f.path, kind_of(f.path), ((glob, role),)) == role})
        effect = (f"{len(moved)} file(s) with production coupling ({_names(moved)}) now count "
                  f"as {role}" if moved else f"production code there would count as {role}")
        out.append(f"`roles` files `{glob}` as {role}: {effect}, which the score discounts")
    return out


def _narrowed(before: Any, after: Any, now_only: str, drops: str) -> list[str]:
    """A list that keeps only what it names (``select``, ``include``, ``targets``): set
    where it was empty (``now_only``), or losing entries (``drops``, ``{}`` for them);
    emptied, it no longer narrows anything."""
    if not before:
        return [now_only]
    dropped = [x for x in before if x not in after]
    return [drops.format(_names(dropped))] if after and dropped else []


def _names(items: Iterable[str]) -> str:
    items = list(items)
    shown = ", ".join(f"`{i}`" for i in items[:SHOWN])
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _hidden(findings: Sequence[Finding], names: Sequence[str]) -> str:
    hit = [f for f in findings if {f.rule, f.vendor, f.kind} & set(names)]
    return f"{len(hit)} finding(s) in this change's head would be" if hit else "matching findings"


def _config_place(settings: Settings, root: Path) -> tuple[str, dict[str, int]]:
    """The config file (relative to ``root``) and the line of each key in it."""
    if settings.config_file is None:
        return "pyproject.toml", {}
    try:
        text = settings.config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*([A-Za-z_]+)\s*=", line)
        if match and match[1] not in lines:
            lines[match[1]] = number
    return _relative(str(settings.config_file), root), lines


# --------------------------------------------------------------------------- suppressions


def new_suppressions(base: Mapping[str, str], head: Mapping[str, str]) -> list[Weakening]:
    """``# lockscan: ignore`` comments in ``head`` (path -> text) that ``base`` does not
    have on the same (whitespace-normalised) line: a moved comment is not new."""
    from lockscan.engine.suppressions import suppressions

    out = []
    for path in sorted(head):
        old = Counter(_suppression_keys(base.get(path, ""), suppressions))
        lines = head[path].splitlines()
        for line, ids in suppressions(head[path]):
            key = (" ".join(lines[line - 1].split()), ids)
            if old[key]:
                old[key] -= 1
                continue
            what = f"`{', '.join(ids)}`" if ids else "every rule"
            comment = f"# lockscan: ignore[{', '.join(ids)}]" if ids else "# lockscan: ignore"
            out.append(Weakening("suppression", "ignore", path, line,
                                 f"new `{comment}` at {path}:{line} silences {what} on "
                                 "that line"))
    return out


def _suppression_keys(text: str, parse: Any) -> list[tuple[str, tuple[str, ...]]]:
    lines = text.splitlines()
    return [(" ".join(lines[line - 1].split()), ids) for line, ids in parse(text)]


def suppression_texts(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """The text of each file under ``root`` that could hold a suppression comment."""
    out = {}
    for path in paths:
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        if b"lockscan" in data:
            out[path] = data.decode("utf-8", errors="replace")
    return out


# --------------------------------------------------------------------------- baseline


def baseline_additions(base_file: Path | None, head_file: Path | None,
                       head_name: str) -> list[Weakening]:
    """Findings the head's baseline accepts that the base's did not, one each;
    ``head_name``: the head's baseline file as the report names it."""
    if head_file is None:
        return []
    accepted = {e["fingerprint"] for e in baseline_entries(base_file)} if base_file else set()
    return [Weakening("baseline", "baseline", head_name, 0,
                      f"baseline `{head_name}` now accepts `{e.get('rule', '?')}` in "
                      f"{e.get('path', '?')} (`{_short(str(e.get('snippet', '')))}`)")
            for e in baseline_entries(head_file) if e["fingerprint"] not in accepted]


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split()).replace("`", "'")
    return text if len(text) <= width else text[: width - 1] + "…"
