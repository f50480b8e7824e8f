"""Load and validate the declarative rules in ``rules/**/*.toml``.

Rules are data: reading them runs no code (``tomllib`` only), and every problem in
every file is collected and reported at once, each naming the file, the rule id and
what to fix. The result is a ``RuleSet`` of frozen, picklable rules whose matchers
are compiled once here and applied in ``lockscan.ruleset.index``.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from lockscan import __version__
from lockscan.errors import RuleError
from lockscan.model import CONFIDENCES, KINDS
from lockscan.ruleset.regex import PatternError, Regex, compile_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

T = TypeVar("T")

RULE_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9]+(-[a-z0-9]+)*$")
EFFORT_POINTS = (0, 1, 2, 3, 5, 8, 13)
RULE_KEYS = {
    "id", "kind", "api", "via", "confidence", "message", "why", "fix", "effort", "match", "vendor",
}
VENDOR_KEYS = {
    "id", "name", "modules", "transparent_attributes", "apis", "portable", "docs",
    "hosts", "base_url_env", "base_url_clients", "base_url_arguments", "argument_calls",
}
FILE_KEYS = {"vendor", "define", "rule"}
# String rules of these kinds read config-file values by default: a model id or a key
# in `config.yaml` or `.env.example` is the same coupling as in code.
CONFIG_STRING_KINDS = frozenset({"model_id", "credential"})
MATCHER_KEYS = {
    "imports", "calls", "keywords", "assigns", "dict", "access", "compare", "strings", "env",
    "dependencies",
}


# --------------------------------------------------------------------------- matchers


class PathRegex:
    """A path-pattern regex compiled on first use. Loading the rules builds ~200 of
    them (~0.4 s of ``re.compile``), and a rescan served from the cache matches none."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def _regex(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._regex().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex().search(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PathRegex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"PathRegex({self.pattern!r})"

    def __getstate__(self) -> str:
        return self.pattern  # workers compile their own copy on first use

    def __setstate__(self, state: str) -> None:
        self.pattern = state
        self._compiled = None


@dataclass(frozen=True, slots=True)
class ImportMatcher:
    modules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CallMatcher:
    """Callee paths (``calls``) or assignment targets (``assigns``), full match."""

    patterns: tuple[str, ...]
    regex: PathRegex


@dataclass(frozen=True, slots=True)
class KeywordMatcher:
    """A keyword argument on a matching call; optionally its literal value."""

    calls: CallMatcher
    names: tuple[str, ...]
    value: Regex | None


@dataclass(frozen=True, slots=True)
class AssignMatcher:
    """An assignment to a vendor attribute (`openai.api_key = ...`); ``value``, when
    given, must match the literal tokens of the assigned value (`"azure"`)."""

    targets: CallMatcher
    value: Regex | None = None


@dataclass(frozen=True, slots=True)
class DictMatcher:
    """A dict literal (or ``dict(...)`` call) that has all ``keys``, the literal
    ``values`` given, and nested dicts with the given keys. ``last_in_list_of``: the
    dict must also end a list literal of two or more dicts that all have that key
    (a messages list ending with an assistant turn)."""

    keys: frozenset[str]
    values: tuple[tuple[str, tuple[str, ...]], ...]
    nested: tuple[tuple[str, frozenset[str]], ...]
    absent: frozenset[str]
    last_in_list_of: str | None = None


@dataclass(frozen=True, slots=True)
class AccessMatcher:
    patterns: tuple[str, ...]
    regex: PathRegex
    require_resolved: bool
    roots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompareMatcher:
    attrs: frozenset[str]
    values: frozenset[str]
    require_resolved: bool
    roots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StringMatcher:
    """Regexes searched in string literals (and prompt/template files).

    ``table`` maps exact strings to a datum the message can show as ``{data}``
    (a retirement date, say)."""

    regexes: tuple[Regex, ...]  # RE2: linear-time matching (lockscan.ruleset.regex)
    table: tuple[tuple[str, str], ...]
    files: tuple[str, ...]  # file kinds: "python", "prompt", "config", "notebook"
    exclude: Regex | None


@dataclass(frozen=True, slots=True)
class EnvMatcher:
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class DependencyMatcher:
    distributions: frozenset[str]


Matcher = (
    ImportMatcher | CallMatcher | KeywordMatcher | AssignMatcher | DictMatcher | AccessMatcher
    | CompareMatcher | StringMatcher | EnvMatcher | DependencyMatcher
)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    vendor: str
    kind: str
    message: str
    why: str
    fix: str
    effort: tuple[tuple[str, int], ...]  # ("default", n) first, then per-target overrides
    matcher: Matcher
    matcher_name: str
    api: str | None = None
    via: str | None = None
    confidence: str = "high"
    source: str = ""  # rules file the rule came from

    def effort_for(self, target: str) -> int:
        table = dict(self.effort)
        return table.get(target, table["default"])


@dataclass(frozen=True, slots=True)
class Vendor:
    id: str
    name: str
    modules: tuple[str, ...] = ()
    apis: tuple[str, ...] = ()  # wire APIs this vendor serves natively, as a migration target
    portable: bool = False  # a portability layer (litellm): findings there are cheap to move
    docs: str = ""
    source: str = ""
    # OpenAI-compatible endpoints: host (or host:port, host/path prefix) -> vendor id,
    # env var holding a base URL -> vendor id, the client constructors whose base-URL
    # keyword selects the vendor, and those keyword names. See docs/rule-authoring.md.
    hosts: tuple[tuple[str, str], ...] = ()
    base_url_env: tuple[tuple[str, str], ...] = ()
    base_url_clients: tuple[str, ...] = ()
    base_url_arguments: tuple[str, ...] = ()
    # Calls whose first literal string argument (or this keyword) is part of the
    # resolved path: ``boto3.client("bedrock-runtime")`` -> ``boto3.client(bedrock-runtime)``.
    argument_calls: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class RuleSet:
    rules: tuple[Rule, ...]
    vendors: tuple[Vendor, ...]
    transparent_attributes: frozenset[str]
    sources: tuple[str, ...] = ()
    digest: str = ""  # hash of every rules file's bytes: part of the cache key
    # Derived lookups (rule by id, matcher index), built on first use.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: str, build: Callable[[RuleSet], T]) -> T:
        """A value computed from the rule set (index, prefilter, endpoint tables), built
        on first use and kept with it, so workers build each once per rule set."""
        if key not in self.cache:
            self.cache[key] = build(self)
        return self.cache[key]

    def by_id(self) -> Mapping[str, Rule]:
        """Every rule by its id (for loops that look up thousands of findings)."""
        return self.derived("by_id", lambda rules: {rule.id: rule for rule in rules.rules})

    def get(self, rule_id: str) -> Rule | None:
        return self.by_id().get(rule_id)

    @property
    def vendor_modules(self) -> tuple[str, ...]:
        return tuple(sorted({m for v in self.vendors for m in v.modules}))

    def vendor(self, vendor_id: str) -> Vendor | None:
        return next((v for v in self.vendors if v.id == vendor_id), None)

    def select(self, rule_ids: Iterable[str] = (), disabled: Iterable[str] = ()) -> RuleSet:
        """The same rule set restricted to ``rule_ids`` (if any) minus ``disabled``.

        Both accept exact ids, vendor ids (``openai``) and kinds (``model_id``)."""
        wanted = set(rule_ids)
        dropped = set(disabled)

        def hit(rule: Rule, names: set[str]) -> bool:
            return rule.id in names or rule.vendor in names or rule.kind in names

        kept = tuple(
            r for r in self.rules if (not wanted or hit(r, wanted)) and not hit(r, dropped)
        )
        return RuleSet(kept, self.vendors, self.transparent_attributes, self.sources, self.digest)


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
        errors.append(f"{where}: unknown top-level key `{key}`; expected one of {_names(FILE_KEYS)}")
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
        errors.append(f"{where}: [vendor] unknown key `{key}`; expected one of {_names(VENDOR_KEYS)}")
    vendor_id = table.get("id")
    if not isinstance(vendor_id, str) or not re.fullmatch(r"[a-z0-9_]+", vendor_id):
        errors.append(f"{where}: [vendor] needs `id`, a lower-case identifier such as \"openai\"")
        return None, []
    lists = {}
    for key in ("modules", "transparent_attributes", "apis"):
        value = table.get(key, [])
        if not _is_str_list(value):
            errors.append(f"{where}: [vendor] `{key}` must be a list of strings")
            value = []
        lists[key] = tuple(value)
    portable = table.get("portable", False)
    if not isinstance(portable, bool):
        errors.append(f"{where}: [vendor] `portable` must be true or false")
        portable = False
    for key in ("base_url_clients", "base_url_arguments"):
        value = table.get(key, [])
        if not _is_str_list(value):
            errors.append(f"{where}: [vendor] `{key}` must be a list of strings")
            value = []
        lists[key] = tuple(value)
    for pattern in (*lists["base_url_clients"], *(p for p, _ in _str_table(
            where, table, "argument_calls", errors))):
        try:
            path_pattern_regex(pattern)
        except _SpecError as exc:
            errors.append(f"{where}: [vendor] {exc}")
    vendor = Vendor(
        id=vendor_id,
        name=str(table.get("name", vendor_id)),
        modules=lists["modules"],
        apis=lists["apis"],
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
        errors.append(f"{here}: unknown key `{key}`; expected one of {_names(RULE_KEYS)}")
    vendor = raw.get("vendor", default_vendor)
    if not isinstance(vendor, str):
        errors.append(f"{here}: no vendor; add a [vendor] table to the file or `vendor` to the rule")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.append(f"{here}: `kind` is {kind!r}; expected one of {_names(KINDS)}")
    confidence = raw.get("confidence", "high")
    if confidence not in CONFIDENCES:
        errors.append(f"{here}: `confidence` is {confidence!r}; expected one of {_names(CONFIDENCES)}")
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
    effort = _parse_effort(here, raw.get("effort"), errors)
    matcher_name, matcher = _parse_match(here, raw.get("match"), defines, errors, trusted)
    if len(errors) > before or matcher is None or not isinstance(vendor, str):
        return None
    if isinstance(matcher, StringMatcher) and "files" not in raw["match"]["strings"] and \
            kind in CONFIG_STRING_KINDS:
        matcher = replace(matcher, files=("python", "config"))
    return Rule(
        id=rule_id,
        vendor=vendor,
        kind=str(kind),
        message=texts["message"],
        why=texts["why"],
        fix=texts["fix"],
        effort=effort,
        matcher=matcher,
        matcher_name=matcher_name,
        api=raw.get("api"),
        via=raw.get("via"),
        confidence=str(confidence),
        source=where,
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


def _parse_match(
    here: str, match: Any, defines: Mapping[str, str], errors: list[str], trusted: bool = False
) -> tuple[str, Matcher | None]:
    if not isinstance(match, dict) or len(match) != 1:
        errors.append(f"{here}: `match` must be a table with exactly one of {_names(MATCHER_KEYS)}")
        return "", None
    (name, spec), = match.items()
    if name not in MATCHER_KEYS:
        errors.append(f"{here}: unknown matcher `{name}`; expected one of {_names(MATCHER_KEYS)}")
        return name, None
    try:
        return name, _build_matcher(name, spec, defines, trusted)
    except _SpecError as exc:
        errors.append(f"{here}: match.{name}: {exc}")
        return name, None


class _SpecError(ValueError):
    pass


def _build_matcher(name: str, spec: Any, defines: Mapping[str, str], trusted: bool = False) -> Matcher:
    if name == "imports":
        return ImportMatcher(tuple(_str_list(spec, "a list of module names")))
    if name == "calls":
        return _call_matcher(spec, defines)
    if name == "assigns":
        if isinstance(spec, dict):
            table = _table(spec, {"targets", "value"})
            value = table.get("value")
            return AssignMatcher(_call_matcher(table.get("targets"), defines),
                                 _regex(value, "`value`", trusted) if value is not None else None)
        return AssignMatcher(_call_matcher(spec, defines))
    if name == "keywords":
        table = _table(spec, {"calls", "names", "value"})
        value = table.get("value")
        return KeywordMatcher(
            calls=_call_matcher(table.get("calls"), defines),
            names=tuple(_str_list(table.get("names"), "`names`: a list of keyword names")),
            value=_regex(value, "`value`", trusted) if value is not None else None,
        )
    if name == "dict":
        table = _table(spec, {"keys", "values", "nested", "absent", "last_in_list_of"})
        last_in_list_of = table.get("last_in_list_of")
        if last_in_list_of is not None and not isinstance(last_in_list_of, str):
            raise _SpecError("`last_in_list_of` must be a key name")
        values = table.get("values", {})
        if not isinstance(values, dict):
            raise _SpecError("`values` must map keys to a string or list of strings")
        nested = table.get("nested", {})
        if not isinstance(nested, dict):
            raise _SpecError("`nested` must map keys to lists of keys")
        keys = frozenset(_str_list(table.get("keys", []), "`keys`: a list of strings", True))
        value_pairs = tuple(
            sorted((k, tuple([v] if isinstance(v, str) else _str_list(v, f"`values.{k}`")))
                   for k, v in values.items())
        )
        nested_pairs = tuple(
            sorted((k, frozenset(_str_list(v, f"`nested.{k}`"))) for k, v in nested.items())
        )
        if not keys and not value_pairs:
            raise _SpecError("give `keys` or `values`")
        return DictMatcher(
            keys=keys | {k for k, _ in value_pairs} | {k for k, _ in nested_pairs},
            values=value_pairs,
            nested=nested_pairs,
            absent=frozenset(_str_list(table.get("absent", []), "`absent`", optional=True)),
            last_in_list_of=last_in_list_of,
        )
    if name == "access":
        table = _table(spec, {"patterns", "resolved", "roots"})
        patterns = _expand_all(_str_list(table.get("patterns"), "`patterns`"), defines)
        return AccessMatcher(
            patterns=tuple(patterns),
            regex=_compile_paths(patterns, anchored=False),
            require_resolved=_bool(table.get("resolved", False), "`resolved`"),
            roots=tuple(_str_list(table.get("roots", []), "`roots`", optional=True)),
        )
    if name == "compare":
        table = _table(spec, {"attrs", "values", "resolved", "roots"})
        return CompareMatcher(
            attrs=frozenset(_str_list(table.get("attrs"), "`attrs`: attribute or key names")),
            values=frozenset(_str_list(table.get("values"), "`values`: string literals")),
            require_resolved=_bool(table.get("resolved", False), "`resolved`"),
            roots=tuple(_str_list(table.get("roots", []), "`roots`", optional=True)),
        )
    if name == "strings":
        table = _table(spec, {"regex", "table", "files", "exclude"})
        regexes = tuple(
            _regex(r, "`regex`", trusted)
            for r in _str_list(table.get("regex", []), "`regex`", optional=True)
        )
        data = table.get("table", {})
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise _SpecError("`table` must map exact strings to strings")
        if not regexes and not data:
            raise _SpecError("give `regex` or `table`")
        files = tuple(_str_list(table.get("files", ["python"]), "`files`"))
        unknown = set(files) - {"python", "notebook", "prompt", "config"}
        if unknown:
            raise _SpecError(f"`files` has unknown kinds {sorted(unknown)}")
        exclude = table.get("exclude")
        return StringMatcher(
            regexes=regexes,
            table=tuple(sorted(data.items())),
            files=files,
            exclude=_regex(exclude, "`exclude`", trusted) if exclude is not None else None,
        )
    if name == "env":
        return EnvMatcher(frozenset(_str_list(spec, "a list of environment variable names")))
    if name == "dependencies":
        names = _str_list(spec, "a list of distribution names")
        return DependencyMatcher(frozenset(normalize_distribution(n) for n in names))
    raise _SpecError(f"unknown matcher {name}")  # pragma: no cover - guarded by caller


def _call_matcher(spec: Any, defines: Mapping[str, str]) -> CallMatcher:
    patterns = _expand_all(_str_list(spec, "a list of call path patterns"), defines)
    return CallMatcher(tuple(patterns), _compile_paths(patterns, anchored=True))


# --------------------------------------------------------------------------- path patterns

_DEFINE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand_all(patterns: list[str], defines: Mapping[str, str]) -> list[str]:
    return [_expand(p, defines) for p in patterns]


def _expand(pattern: str, defines: Mapping[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise _SpecError(f"`{pattern}`: ${{...}} definitions nest too deeply")

    def replace(m: re.Match[str]) -> str:
        if m.group(1) not in defines:
            raise _SpecError(f"`{pattern}`: ${{{m.group(1)}}} is not in [define]")
        return _expand(defines[m.group(1)], defines, depth + 1)

    return _DEFINE.sub(replace, pattern)


def path_pattern_regex(pattern: str) -> str:
    """Translate a path pattern to a regex.

    Syntax: segments separated by ``.``, ``()`` a call, ``(lit)`` a call whose first
    argument is the string literal ``lit`` (only for ``argument_calls``), ``[]`` a
    subscript, ``*`` one name, ``**`` any names and subscripts (not calls), ``{a,b.c}``
    alternatives (nestable).
    """
    out: list[str] = []
    pos = 0
    while pos < len(pattern):
        if pattern.startswith("**", pos):
            out.append(r"[A-Za-z0-9_.\[\]]*?")  # any segments, never across a call
            pos += 2
        elif pattern[pos] == "*":
            out.append(r"[A-Za-z0-9_]+")
            pos += 1
        elif pattern[pos] == "{":
            options, pos = alternatives_at(pattern, pos)
            out.append("(?:" + "|".join(path_pattern_regex(o) for o in options) + ")")
        elif pattern.startswith(("()", "[]"), pos):
            out.append(re.escape(pattern[pos:pos + 2]))
            pos += 2
        elif pattern[pos] == "(":
            # A call with a literal first argument (see Vendor.argument_calls).
            close = pattern.find(")", pos)
            inner = pattern[pos + 1:close] if close > pos else ""
            if not inner or not re.fullmatch(r"[A-Za-z0-9_{},-]+", inner):
                raise _SpecError(f"`{pattern}`: `(` must be `()` or `(literal)`, e.g. "
                                 "`boto3.client(bedrock-runtime)`")
            out.append(r"\(" + path_pattern_regex(inner) + r"\)")
            pos = close + 1
        elif (run := _LITERAL_RUN.match(pattern, pos)) is not None:
            # A whole run of literal characters at once, found by one regex call: loading
            # the rules translates ~27k characters, and a Python loop per character was
            # most of a warm rescan's rule validation.
            out.append(re.escape(run.group()))
            pos = run.end()
        else:
            raise _SpecError(
                f"`{pattern}`: character {pattern[pos]!r} is not allowed in a path pattern"
            )
    return "".join(out)


# `\w` is exactly `str.isalnum()` plus `_` for str patterns: letters and digits of any
# script, as the literal test has always allowed.
_LITERAL_RUN = re.compile(r"[\w.\-]+")


def alternatives_at(pattern: str, start: int) -> tuple[list[str], int]:
    """The comma-separated options of the ``{...}`` opening at ``start`` (nested braces
    kept whole), and the index after its closing brace."""
    close = _matching_brace(pattern, start)
    return _split_top_level(pattern[start + 1:close]), close + 1


def _matching_brace(pattern: str, start: int) -> int:
    depth = 0
    for pos in range(start, len(pattern)):
        if pattern[pos] == "{":
            depth += 1
        elif pattern[pos] == "}":
            depth -= 1
            if depth == 0:
                return pos
    raise _SpecError(f"`{pattern}`: unclosed `{{`")


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += (ch == "{") - (ch == "}")
        current.append(ch)
    parts.append("".join(current))
    return parts


def _compile_paths(patterns: list[str], anchored: bool) -> PathRegex:
    if not patterns:
        raise _SpecError("needs at least one pattern")
    body = "|".join(f"(?:{path_pattern_regex(p)})" for p in patterns)
    if anchored:
        return PathRegex(f"(?:{body})")
    # Unanchored: match whole segments anywhere in the chain.
    return PathRegex(rf"(?:^|(?<=[.\])]))(?:{body})(?=$|[.(\[])")


# --------------------------------------------------------------------------- helpers


def normalize_distribution(name: str) -> str:
    """PEP 503 normalisation, so `Google_GenerativeAI` and `google-generativeai` agree."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _table(spec: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise _SpecError(f"must be a table with keys {_names(allowed)}")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise _SpecError(f"unknown key `{unknown[0]}`; expected one of {_names(allowed)}")
    return spec


def _str_list(value: Any, what: str, optional: bool = False) -> list[str]:
    if optional and value == []:
        return []
    if not _is_str_list(value) or not value:
        raise _SpecError(f"must be {what} (non-empty)")
    return list(value)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise _SpecError(f"{what} must be true or false")
    return value


def _regex(value: Any, what: str, trusted: bool = False) -> Regex:
    """RE2 (linear time) for every rule; a bundled rule that needs lookaround falls back
    to Python's ``re``: those patterns ship with lockscan and are reviewed and tested,
    while users' rules, as untrusted as the code scanned, must compile with RE2."""
    if not isinstance(value, str) or not value:
        raise _SpecError(f"{what} must be a non-empty regular expression string")
    try:
        return compile_text(value)
    except PatternError as exc:
        if trusted:
            try:
                return re.compile(value)
            except re.error:
                pass
        raise _SpecError(f"{what} `{value}` is not a valid regex ({exc})") from exc


def _names(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _check_cross_file(rules: list[Rule], vendors: list[Vendor], errors: list[str]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            errors.append(f"{rule.source}: rule {rule.id}: duplicate id, also in {seen[rule.id]}; "
                          "rename one")
        seen.setdefault(rule.id, rule.source)
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
                              f"`{target}`; known: {_names(sorted(vendor_ids))}")
