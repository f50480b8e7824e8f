"""The models a scan found (``ScanResult.models``): ``lockscan models`` as a table or JSON,
and the short models section of the scan's text and JSON reports."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lockscan.model import LicenceInfo, ModelReport, ModelUse, ScanResult
from lockscan.report.base import ReportOptions

WIDTH = 132  # of the table when not on a terminal: ids are long
STATUS_STYLE = {"retired": "bold red", "retiring": "yellow", "deprecated": "yellow",
                "unlisted": "magenta", "current": "green", "unknown": "dim"}
ROLE_SHORT = {"production": "prod", "test": "test", "example": "example", "data": "data",
              "config": "config", "manifest": "manifest"}
TERM_LABELS = {"commercial_use": "commercial use", "user_threshold": "user threshold",
               "naming": "naming", "attribution": "attribution",
               "acceptable_use": "acceptable use", "other_models": "training other models",
               "regional": "regional"}


# --------------------------------------------------------------------------- JSON


def models_dict(report: ModelReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of,
        "lifecycle_window_days": report.window_days,
        "data_refreshed": report.data_refreshed,
        "data_provenance": report.data_provenance,
        "models": [use_dict(use) for use in report.models],
    }


def use_dict(use: ModelUse) -> dict[str, Any]:
    life = use.lifecycle
    return {
        "id": use.id,
        "vendor": use.vendor,
        "pinned": life.pinned,
        "status": life.status,
        "family": life.family,
        "snapshot": life.snapshot,
        "deprecated": life.deprecated,
        "shutdown": life.shutdown,
        "successor": life.successor,
        "alias_of": life.alias_of,
        "platforms": {platform or "default": day for platform, day in life.platforms},
        "guess": life.guess,
        "basis": life.basis,
        "sources": list(life.sources),
        "licence": licence_dict(use.licence) if use.licence else None,
        "uses": len(use.sites),
        "by_role": use.by_role(),
        "files": list(use.files),
        "sites": [{"path": s.path, "line": s.line, "role": s.role, "rule": s.rule,
                   **({"cell": s.cell} if s.cell is not None else {})} for s in use.sites],
        "spellings": list(use.spellings),
    }


def licence_dict(licence: LicenceInfo) -> dict[str, Any]:
    return {"key": licence.key, "name": licence.name, "spdx": licence.spdx,
            "url": licence.url, "family": licence.family, "terms": dict(licence.terms)}


def json_report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    data = {"root": result.root, **models_dict(_report(result))}
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- text


def text_report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    interactive = hasattr(stream, "isatty") and stream.isatty()
    console = Console(file=stream, width=None if interactive else WIDTH, highlight=False,
                      color_system="auto" if interactive else None, soft_wrap=not interactive)
    report = _report(result)
    console.print(Text(f"models named in {result.root}", style="bold"))
    console.print(_dates(report))
    if not report.models:
        console.print("No model ids found.")
        return
    console.print(_table(report.models))
    _print_notes(console, report.models)
    _print_licences(console, report.models)


def summary_section(console: Console, report: ModelReport) -> None:
    """The scan text report's models section: counts by status and the licences."""
    console.print()
    console.print(Text("models (`lockscan models` lists them)", style="bold underline"))
    console.print(_dates(report))
    counts = Counter(use.lifecycle.status for use in report.models)
    floating = sum(1 for use in report.models if use.lifecycle.pinned is False)
    parts = [f"{counts[s]} {s}" for s in STATUS_STYLE if counts[s]]
    console.print(f"{len(report.models)} model ids: {', '.join(parts) or 'none'}"
                  f" · {floating} floating")
    _print_licences(console, report.models)


def _report(result: ScanResult) -> ModelReport:
    if result.models is None:  # a scan run without the models step (library use)
        return ModelReport("", 0, "", "", ())
    return result.models


def _dates(report: ModelReport) -> str:
    return (f"lifecycle as of {report.as_of} (retiring: within {report.window_days} days) · "
            f"model data refreshed {report.data_refreshed} ({report.data_provenance})")


def _table(uses: tuple[ModelUse, ...]) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("status", "model", "vendor", "pin", "date"):
        table.add_column(name, no_wrap=True)
    for name in ("licence", "uses", "where"):
        table.add_column(name, overflow="fold")
    for use in uses:
        life = use.lifecycle
        pin = {True: "pinned", False: "floating", None: "-"}[life.pinned]
        when = life.shutdown or life.deprecated or "-"
        table.add_row(Text(life.status, style=STATUS_STYLE[life.status]), use.id, use.vendor, pin,
                      when, _licence_short(use.licence), _uses(use), _where(use))
    return table


def _uses(use: ModelUse) -> str:
    roles = use.by_role()
    if set(roles) == {"production"}:
        return str(len(use.sites))
    return f"{len(use.sites)} (" + ", ".join(f"{n} {ROLE_SHORT[r]}" for r, n in roles.items()) + ")"


def _where(use: ModelUse) -> str:
    files = use.files
    return files[0] if len(files) == 1 else f"{files[0]} +{len(files) - 1}"


def _licence_short(licence: LicenceInfo | None) -> str:
    if licence is None:
        return "-"
    return licence.spdx or licence.key


def _print_notes(console: Console, uses: tuple[ModelUse, ...]) -> None:
    """One line per model whose status needs action: why, and the successor."""
    notes = [use for use in uses if use.lifecycle.status in ("retired", "retiring", "deprecated")
             or (use.lifecycle.status == "unlisted" and use.lifecycle.guess)]
    if not notes:
        return
    console.print()
    for use in notes:
        life = use.lifecycle
        text = life.basis
        if life.status == "unlisted":
            text = f"not in the data; more likely {'newer' if life.guess == 'newer' else 'retired'}: " \
                   f"{life.basis}"
        successor = f"; successor: {life.successor}" if life.successor else ""
        console.print(Text(f"  {use.id} ({use.vendor}): {text}{successor}"))


def _print_licences(console: Console, uses: tuple[ModelUse, ...]) -> None:
    """What each open-weight licence named binds a team that self-hosts the weights to."""
    licences: dict[str, tuple[LicenceInfo, list[str]]] = {}
    for use in uses:
        if use.licence is not None:
            entry = licences.setdefault(use.licence.key, (use.licence, []))
            if use.id not in entry[1]:
                entry[1].append(use.id)
    if not licences:
        return
    console.print()
    console.print(Text("open-weight licences (if you self-host these weights)", style="bold"))
    for licence, ids in (licences[key] for key in sorted(licences)):
        spdx = f"SPDX {licence.spdx}" if licence.spdx else "no SPDX id"
        console.print(Text(f"  {licence.name} ({spdx}) · {licence.url}"))
        console.print(Text(f"    for: {', '.join(ids)}", style="dim"))
        for term, text in licence.terms:
            console.print(Text(f"    {TERM_LABELS.get(term, term)}: {text}"))
