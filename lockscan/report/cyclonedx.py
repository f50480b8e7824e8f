"""``lockscan scan --format cyclonedx``: a CycloneDX 1.6 AI-BOM (JSON) of the scanned
application: the vendor SDKs its manifests require, one ``machine-learning-model``
component per distinct model id, one service per vendor API it calls, the dependencies
between them, and where each is named (``evidence.occurrences``).

Written as plain JSON (no runtime dependency): the tests validate it with the maintained
``cyclonedx-python-lib`` strict JSON-schema validator. The same result gives the same
bytes: no timestamp, and a serial number derived from the content.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, TextIO

from lockscan import __version__
from lockscan.model import Finding, ModelUse, ScanResult
from lockscan.report.base import ReportOptions

SPEC_VERSION = "1.6"
APP_REF = "application"
_REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?P<spec>.*)$")
_EXACT = re.compile(r"^===?\s*(?P<version>[A-Za-z0-9.+!_-]+)\s*(?:;.*)?$")
SERVICE_KINDS = ("client", "call", "model_id", "tool_schema", "response_shape", "vendor_feature")


def report(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(dumps(result, options))


def dumps(result: ScanResult, options: ReportOptions | None = None) -> str:
    bom = to_bom(result, options or ReportOptions())
    body = json.dumps(bom, sort_keys=False, ensure_ascii=False)
    serial = uuid.uuid5(uuid.NAMESPACE_URL, "lockscan:" + hashlib.sha256(body.encode()).hexdigest())
    bom = {**bom, "serialNumber": f"urn:uuid:{serial}"}
    ordered = {key: bom[key] for key in ("bomFormat", "specVersion", "serialNumber", "version",
                                         "metadata", "components", "services", "dependencies")
               if key in bom}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def to_bom(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    names = _vendor_names(options)
    libraries = _libraries(result.findings)
    models = result.models.models if result.models is not None else ()
    services = _services(result.findings, options)
    components = [*libraries, *(_model(use, names) for use in models)]
    refs = [c["bom-ref"] for c in components] + [s["bom-ref"] for s in services]
    dependencies = [{"ref": APP_REF, "dependsOn": refs}]
    service_refs = {s["bom-ref"] for s in services}
    for use in models:
        service = _service_ref(use.vendor)
        dependencies.append({"ref": _model_ref(use),
                             "dependsOn": [service] if service in service_refs else []})
    dependencies += [{"ref": ref, "dependsOn": []}
                     for ref in [c["bom-ref"] for c in libraries] + sorted(service_refs)]
    bom: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": _metadata(result),
        "components": components,
        "services": services,
        "dependencies": dependencies,
    }
    return bom


def _metadata(result: ScanResult) -> dict[str, Any]:
    name = PurePath(result.root).name or result.root
    properties = []
    if result.models is not None:
        properties = [_prop("lockscan:models:as_of", result.models.as_of),
                      _prop("lockscan:models:lifecycle_window_days", str(result.models.window_days)),
                      _prop("lockscan:models:data_refreshed", result.models.data_refreshed),
                      _prop("lockscan:models:data_provenance", result.models.data_provenance)]
    metadata: dict[str, Any] = {
        "tools": {"components": [{"type": "application", "name": "lockscan",
                                  "version": __version__}]},
        "component": {"type": "application", "bom-ref": APP_REF, "name": name},
    }
    if properties:
        metadata["properties"] = properties
    return metadata


def _libraries(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The vendor SDKs the manifests require, one component per distribution."""
    found: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.kind != "dependency" or not finding.subject:
            continue
        parsed = _REQUIREMENT.match(finding.subject)
        if parsed is None:
            continue
        name = re.sub(r"[-_.]+", "-", parsed["name"]).lower()
        exact = _EXACT.match(parsed["spec"].strip())
        version = exact["version"] if exact else None
        purl = f"pkg:pypi/{name}" + (f"@{version}" if version else "")
        entry = found.setdefault(name, {
            "type": "library", "bom-ref": f"library:{name}", "name": name,
            **({"version": version} if version else {}), "purl": purl,
            "properties": [_prop("lockscan:requirement", finding.subject),
                           _prop("lockscan:rule", finding.rule)],
            "evidence": {"occurrences": []}})
        entry["evidence"]["occurrences"].append(_occurrence(finding.path, finding.line))
    return [found[name] for name in sorted(found)]


def _model(use: ModelUse, names: dict[str, str]) -> dict[str, Any]:
    life = use.lifecycle
    component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": _model_ref(use),
        "supplier": {"name": names.get(use.vendor, use.vendor)},
        "name": use.id,
    }
    if life.snapshot and re.fullmatch(r"\d{4}-\d{2}-\d{2}", life.snapshot):
        component["version"] = life.snapshot
    if use.licence is not None:
        licence: dict[str, Any] = ({"id": use.licence.spdx} if use.licence.spdx
                                   else {"name": use.licence.name})
        component["licenses"] = [{"license": {**licence, "url": use.licence.url}}]
    component["properties"] = _lifecycle_properties(use)
    if use.licence is not None and use.licence.terms:
        # Model card: what a team that self-hosts these weights is bound by.
        component["modelCard"] = {"properties": [
            _prop(f"lockscan:licence:{term}", text) for term, text in use.licence.terms]}
    component["evidence"] = {"occurrences": [_occurrence(s.path, s.line) for s in use.sites]}
    return component


def _lifecycle_properties(use: ModelUse) -> list[dict[str, str]]:
    life = use.lifecycle
    values = [("vendor", use.vendor), ("status", life.status),
              ("pinned", "unknown" if life.pinned is None else str(life.pinned).lower()),
              ("family", life.family), ("snapshot", life.snapshot),
              ("deprecated", life.deprecated), ("shutdown", life.shutdown),
              ("successor", life.successor), ("alias_of", life.alias_of),
              ("guess", life.guess), ("basis", life.basis)]
    out = [_prop(f"lockscan:lifecycle:{name}", value) for name, value in values if value]
    out += [_prop(f"lockscan:lifecycle:shutdown:{platform or 'default'}", day)
            for platform, day in life.platforms]
    out += [_prop("lockscan:lifecycle:source", url) for url in life.sources]
    if use.licence is not None:
        out.append(_prop("lockscan:licence:family", use.licence.family))
    return out


def _services(findings: Iterable[Finding], options: ReportOptions) -> list[dict[str, Any]]:
    """One service per vendor API the code uses (a portability layer such as litellm, or
    a model family, is not a service)."""
    rules = options.rules
    used = sorted({f.vendor for f in findings if f.kind in SERVICE_KINDS})
    services = []
    for vendor_id in used:
        vendor = rules.vendor(vendor_id) if rules is not None else None
        if vendor is None or not vendor.apis or vendor.portable:
            continue
        endpoints = sorted({f"https://{host}" for rule_vendor in (rules.vendors if rules else ())
                            for host, owner in rule_vendor.hosts
                            if owner == vendor_id and "*" not in host and not host.startswith((".", ":"))})
        provider: dict[str, Any] = {"name": vendor.name}
        if vendor.docs:
            provider["url"] = [vendor.docs]
        service: dict[str, Any] = {"bom-ref": _service_ref(vendor_id), "provider": provider,
                                   "name": f"{vendor.name} API"}
        if endpoints:
            service["endpoints"] = endpoints
        service["properties"] = [_prop("lockscan:vendor", vendor_id),
                                 *(_prop("lockscan:api", api) for api in vendor.apis)]
        services.append(service)
    return services


def _vendor_names(options: ReportOptions) -> dict[str, str]:
    return {v.id: v.name for v in options.rules.vendors} if options.rules is not None else {}


def _model_ref(use: ModelUse) -> str:
    return f"model:{use.vendor}/{use.id}"


def _service_ref(vendor: str) -> str:
    return f"service:{vendor}"


def _occurrence(path: str, line: int) -> dict[str, Any]:
    return {"location": path, "line": line}


def _prop(name: str, value: str | None) -> dict[str, str]:
    return {"name": name, "value": value or ""}
