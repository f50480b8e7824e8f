"""Load and validate the declarative rules in ``rules/**/*.toml``.

Rules are data: reading them runs no code (``tomllib`` only), and every problem in
every file is collected and reported at once, each naming the file, the rule id and
what to fix. Each rule's ``match`` table is parsed by the matcher the registry names
(``lockscan.ruleset.matchers``); the result is a ``RuleSet`` of frozen, picklable rules.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from lockscan import __version__
from lockscan.errors import RuleError
from lockscan.model import CONFIDENCES, KINDS
from lockscan.ruleset.matchers import REGISTRY, Matcher
from lockscan.ruleset.model import Rule, RuleSet, Vendor
from lockscan.ruleset.paths import path_pattern_regex
from lockscan.ruleset.spec import SpecContext, SpecError, is_str_list, names

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

RULE_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9]+(-[a-z0-9]+)*$")
EFFORT_POINTS = (0, 1, 2, 3, 5, 8, 13)
RULE_KEYS = {
    "id", "kind", "api", "via", "confidence", "message", "why", "fix", "effort", "match", "vendor",
    "with_rules", "family",
}
VENDOR_KEYS = {
    "id", "name", "modules", "transparent_attributes", "apis", "portable", "docs",
    "hosts", "base_url_env", "base_url_clients", "base_url_arguments", "argument_calls",
    "serves",
}
FILE_KEYS = {"vendor", "define", "rule"}


# --------------------------------------------------------------------------- loading


def bundled_rules_dir() -> Path:
    """The rules shipped with lockscan, found both installed and in a source tree."""
    # The package folder itself, not ``importlib.resources.files``: that answers the same
    # for a package on disk, and importing it (tempfile, shutil) cost every run ~10 ms.
    package = Path(__file__).resolve().parent.parent  # lockscan/
    packaged = package / "bundled_rules"
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"


def rule_files(directories: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        if directory.is_file() and directory.suffix == ".toml":
            files.append(directory)
            continue
        if directory.is_file():
            raise RuleError([f"{directory}: not a .toml rules file; pass a .toml file or a folder"])
        if not directory.is_dir():
            raise RuleError([f"{directory}: rules folder does not exist; pass an existing folder"])
        # Example manifests (`examples.pyproject.toml`) sit beside rules; they are not rules.
        files.extend(sorted(p for p in directory.rglob("*.toml")
                            if not p.name.startswith("examples")))
    return files


class DocumentStore(Protocol):
    """Where parsed rules files are kept between runs (``lockscan.cache.store.FactsCache``)."""

    def get_documents(self, key: str) -> list[Any] | None: ...

    def put_documents(self, key: str, documents: list[Any]) -> None: ...


def load_rules(extra_dirs: Iterable[Path] = (), include_bundled: bool = True,
               store: DocumentStore | None = None) -> RuleSet:
    """Read, validate and compile every rules file; raise ``RuleError`` with all problems.

    ``store``: parsed TOML documents are looked up there under a hash of every rules
    file's path and exact bytes (``tomllib`` is pure Python, ~half of loading); the
    documents are validated and compiled here either way, so a store can only save
    parsing, never change what a rules file means."""
    bundled = bundled_rules_dir()
    dirs = ([bundled] if include_bundled else []) + [Path(d) for d in extra_dirs]
    files = rule_files(dirs)
    errors: list[str] = []
    vendors: list[Vendor] = []
    rules: list[Rule] = []
    transparent: set[str] = set()
    digest = hashlib.sha256()
    contents: list[tuple[Path, bytes]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            errors.append(f"{path}: cannot read ({exc.strerror or exc}); check permissions")
            continue
        digest.update(path.name.encode() + b"\0" + data)
        contents.append((path, data))
    for path, document in _documents(contents, store, errors):
        trusted = include_bundled and path.is_relative_to(bundled)
        vendor, file_rules, attrs = _parse_file(path, document, errors, trusted)
        if vendor is not None:
            vendors.append(vendor)
        rules.extend(file_rules)
        transparent.update(attrs)
    _check_cross_file(rules, vendors, errors)
    if errors:
        raise RuleError(errors)
    rules.sort(key=lambda r: r.id)
    vendors.sort(key=lambda v: v.id)
    return RuleSet(
        rules=tuple(rules),
        vendors=tuple(vendors),
        transparent_attributes=frozenset(transparent),
        sources=tuple(str(f) for f in files),
        digest=digest.hexdigest(),
    )


def documents_key(contents: Iterable[tuple[Path, bytes]]) -> str:
    """Names every byte the parsed documents depend on, and the parser (our version)."""
    key = hashlib.sha256(f"rules-documents\0{__version__}\0{sys.version_info[:2]}".encode())
    for path, data in contents:
        encoded = str(path).encode("utf-8", "surrogateescape")
        key.update(b"\0%d\0%s\0%d\0" % (len(encoded), encoded, len(data)) + data)
    return key.hexdigest()


def _documents(contents: list[tuple[Path, bytes]], store: DocumentStore | None,
               errors: list[str]) -> list[tuple[Path, dict[str, Any]]]:
    """Each readable file's TOML document: from ``store`` when it holds exactly these
    files, else parsed (and then kept there when every file parsed)."""
    key = documents_key(contents) if store is not None else ""
    if store is not None:
        cached = store.get_documents(key)
        if (isinstance(cached, list) and len(cached) == len(contents)
                and all(isinstance(d, dict) for d in cached)):
            return [(path, document) for (path, _), document in zip(contents, cached, strict=True)]
    parsed = []
    before = len(errors)
    for path, data in contents:
        try:
            parsed.append((path, tomllib.loads(data.decode("utf-8"))))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            errors.append(f"{path}: not valid TOML ({exc}); fix the syntax")
        except RecursionError:  # tomllib recurses once per nested array or table
            errors.append(f"{path}: not valid TOML (nested too deeply); flatten it")
    if store is not None and len(errors) == before:
        store.put_documents(key, [document for _, document in parsed])
    return parsed


def _parse_file(
    path: Path, document: dict[str, Any], errors: list[str], trusted: bool = False
) -> tuple[Vendor | None, list[Rule], list[str]]:
    where = str(path)
    for key in sorted(set(document) - FILE_KEYS):
        errors.append(f"{where}: unknown top-level key `{key}`; expected one of {names(FILE_KEYS)}")
    vendor_table = document.get("vendor")
    vendor: Vendor | None = None
    attrs: list[str] = []
    if vendor_table is not None:
        vendor, attrs = _parse_vendor(where, vendor_table, errors)
    defines = document.get("define", {})
    if not isinstance(defines, dict) or not all(isinstance(v, str) for v in defines.values()):
        errors.append(f"{where}: [define] must map names to pattern strings")
        defines = {}
    raw_rules = document.get("rule", [])
    if not isinstance(raw_rules, list):
        errors.append(f"{where}: `rule` must be an array of tables ([[rule]])")
        raw_rules = []
    default_vendor = vendor.id if vendor else None
    rules = [
        rule
        for raw in raw_rules
        if (rule := _parse_rule(where, raw, defines, default_vendor, errors, trusted)) is not None
    ]
    return vendor, rules, attrs


def _parse_vendor(
    where: str, table: Any, errors: list[str]
) -> tuple[Vendor | None, list[str]]:
    if not isinstance(table, dict):
        errors.append(f"{where}: [vendor] must be a table")
        return None, []
    for key in sorted(set(table) - VENDOR_KEYS):
        errors.append(f"{where}: [vendor] unknown key `{key}`; expected one of {names(VENDOR_KEYS)}")
    vendor_id = table.get("id")
    if not isinstance(vendor_id, str) or not re.fullmatch(r"[a-z0-9_]+", vendor_id):
        errors.append(f"{where}: [vendor] needs `id`, a lower-case identifier such as \"openai\"")
        return None, []
    lists = {}
    for key in ("modules", "transparent_attributes", "apis", "serves"):
        value = table.get(key, [])
        if not is_str_list(value):
            errors.append(f"{where}: [vendor] `{key}` must be a list of strings")
            value = []
        lists[key] = tuple(value)
    portable = table.get("portable", False)
    if not isinstance(portable, bool):
        errors.append(f"{where}: [vendor] `portable` must be true or false")
        portable = False
    for key in ("base_url_clients", "base_url_arguments"):
        value = table.get(key, [])
        if not is_str_list(value):
            errors.append(f"{where}: [vendor] `{key}` must be a list of strings")
            value = []
        lists[key] = tuple(value)
    for pattern in (*lists["base_url_clients"], *(p for p, _ in _str_table(
            where, table, "argument_calls", errors))):
        try:
            path_pattern_regex(pattern)
        except SpecError as exc:
            errors.append(f"{where}: [vendor] {exc}")
    vendor = Vendor(
        id=vendor_id,
        name=str(table.get("name", vendor_id)),
        modules=lists["modules"],
        apis=lists["apis"],
        serves=lists["serves"],
        portable=portable,
        docs=str(table.get("docs", "")),
        source=where,
        hosts=_str_table(where, table, "hosts", errors),
        base_url_env=_str_table(where, table, "base_url_env", errors),
        base_url_clients=lists["base_url_clients"],
        base_url_arguments=lists["base_url_arguments"],
        argument_calls=_str_table(where, table, "argument_calls", errors, report=False),
    )
    return vendor, list(lists["transparent_attributes"])


def _str_table(
    where: str, table: dict[str, Any], key: str, errors: list[str], report: bool = True
) -> tuple[tuple[str, str], ...]:
    """A [vendor] sub-table of strings to strings, sorted; errors once per key."""
    value = table.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        if report:
            errors.append(f"{where}: [vendor] `{key}` must map strings to strings, e.g. "
                          f'{key} = {{ "a" = "b" }}')
        return ()
    return tuple(sorted(value.items()))


def _parse_rule(
    where: str,
    raw: Any,
    defines: Mapping[str, str],
    default_vendor: str | None,
    errors: list[str],
    trusted: bool = False,
) -> Rule | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: each [[rule]] must be a table")
        return None
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        errors.append(
            f"{where}: rule {rule_id!r}: `id` must look like `vendor.short-name` (kebab-case)"
        )
        return None
    here = f"{where}: rule {rule_id}"
    before = len(errors)
    for key in sorted(set(raw) - RULE_KEYS):
        errors.append(f"{here}: unknown key `{key}`; expected one of {names(RULE_KEYS)}")
    vendor = raw.get("vendor", default_vendor)
    if not isinstance(vendor, str):
        errors.append(f"{here}: no vendor; add a [vendor] table to the file or `vendor` to the rule")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.append(f"{here}: `kind` is {kind!r}; expected one of {names(KINDS)}")
    confidence = raw.get("confidence", "high")
    if confidence not in CONFIDENCES:
        errors.append(f"{here}: `confidence` is {confidence!r}; expected one of {names(CONFIDENCES)}")
    texts = {}
    for key in ("message", "why", "fix"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{here}: `{key}` is required and must be a non-empty string")
            value = ""
        texts[key] = value.strip()
    for key in ("api", "via"):
        if key in raw and not isinstance(raw[key], str):
            errors.append(f"{here}: `{key}` must be a string")
    with_rules = raw.get("with_rules", [])
    if not is_str_list(with_rules):
        errors.append(f"{here}: `with_rules` must be a list of rule ids")
    family = raw.get("family", False)
    if not isinstance(family, bool):
        errors.append(f"{here}: `family` must be true or false")
    elif family and kind != "model_id":
        errors.append(f"{here}: `family` is for `model_id` rules (a model family's prefix)")
    effort = _parse_effort(here, raw.get("effort"), errors)
    context = SpecContext(defines, trusted, str(kind))
    matcher = _parse_match(here, raw.get("match"), context, errors)
    if len(errors) > before or matcher is None or not isinstance(vendor, str):
        return None
    return Rule(
        id=rule_id,
        vendor=vendor,
        kind=str(kind),
        message=texts["message"],
        why=texts["why"],
        fix=texts["fix"],
        effort=effort,
        matcher=matcher,
        api=raw.get("api"),
        via=raw.get("via"),
        confidence=str(confidence),
        source=where,
        with_rules=tuple(with_rules),
        family=family is True,
    )


def _parse_effort(here: str, value: Any, errors: list[str]) -> tuple[tuple[str, int], ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"default": value}
    if not isinstance(value, dict) or "default" not in value:
        errors.append(f"{here}: `effort` must be a number or a table with `default`, e.g. "
                      "{ default = 3, litellm = 0 }")
        return (("default", 0),)
    pairs: list[tuple[str, int]] = []
    for target, points in value.items():
        if isinstance(points, bool) or points not in EFFORT_POINTS:
            errors.append(f"{here}: effort for `{target}` is {points!r}; use one of {EFFORT_POINTS}")
            continue
        pairs.append((target, int(points)))
    pairs.sort(key=lambda p: (p[0] != "default", p[0]))
    return tuple(pairs)


def _parse_match(here: str, match: Any, context: SpecContext, errors: list[str]) -> Matcher | None:
    if not isinstance(match, dict) or len(match) != 1:
        errors.append(f"{here}: `match` must be a table with exactly one of {names(REGISTRY)}")
        return None
    (name, spec), = match.items()
    matcher = REGISTRY.get(name)
    if matcher is None:
        errors.append(f"{here}: unknown matcher `{name}`; expected one of {names(REGISTRY)}")
        return None
    try:
        return matcher.parse(spec, context)
    except SpecError as exc:
        errors.append(f"{here}: match.{name}: {exc}")
        return None


def _check_cross_file(rules: list[Rule], vendors: list[Vendor], errors: list[str]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            errors.append(f"{rule.source}: rule {rule.id}: duplicate id, also in {seen[rule.id]}; "
                          "rename one")
        seen.setdefault(rule.id, rule.source)
    for rule in rules:
        for other in rule.with_rules:
            if other not in seen:
                errors.append(f"{rule.source}: rule {rule.id}: `with_rules` names {other!r}, "
                              "which no rules file defines")
    vendor_ids = {v.id for v in vendors}
    seen_vendor: dict[str, str] = {}
    for vendor in vendors:
        if vendor.id in seen_vendor:
            errors.append(f"{vendor.source}: vendor {vendor.id}: declared twice, also in "
                          f"{seen_vendor[vendor.id]}")
        seen_vendor.setdefault(vendor.id, vendor.source)
    for vendor in vendors:
        for key, table in (("hosts", vendor.hosts), ("base_url_env", vendor.base_url_env)):
            for name, target in table:
                if vendor_ids and target not in vendor_ids:
                    errors.append(f"{vendor.source}: [vendor] `{key}` maps `{name}` to vendor "
                                  f"`{target}`, which has no [vendor] table in any rules file")
    targets = vendor_ids | {"default"}
    for rule in rules:
        if vendor_ids and rule.vendor not in vendor_ids:
            errors.append(f"{rule.source}: rule {rule.id}: vendor `{rule.vendor}` has no [vendor] "
                          "table in any rules file")
        for target, _ in rule.effort:
            if vendor_ids and target not in targets:
                errors.append(f"{rule.source}: rule {rule.id}: effort names unknown target "
                              f"`{target}`; known: {names(sorted(vendor_ids))}")
