"""Dependency manifests: one ``dependency`` finding per vendor distribution, with its pin.

Reads ``requirements*.txt`` (and ``*.txt`` under a ``requirements/`` folder),
``pyproject.toml`` (PEP 621 ``dependencies`` / ``optional-dependencies``, PEP 735
``dependency-groups``, Poetry ``dependencies`` and groups, Hatch metadata hooks),
``setup.cfg`` (``install_requires``, ``extras_require``), ``setup.py`` (``install_requires=[...]`` and
``extras_require={...}`` literals, or a module-level list they name; parsed with
``ast``, never run) and ``Pipfile`` (``packages``, ``dev-packages``). Distribution names
go to the ``dependencies`` matcher after PEP 503 normalisation. Options and includes
(``-r base.txt``, ``--index-url``, ``-e .``) produce nothing. A file that does not
parse becomes one diagnostic; the scan goes on.
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from lockscan.engine.findings import paired, to_findings
from lockscan.engine.source import DecodeError, count_lines, decode, failed_facts
from lockscan.engine.suppressions import suppressions
from lockscan.model import DependencyFact, FileFacts, SourceFile, Span
from lockscan.ruleset.matchers import Hit, normalize_distribution

if TYPE_CHECKING:
    from lockscan.engine.analyzer import Analyzer
    from lockscan.ruleset.index import RuleIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$"
)
_EGG = re.compile(r"[#&]egg=(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
_WHEEL = re.compile(r"/(?P<name>[A-Za-z0-9_.]+)-(?P<version>[0-9][^-/]*)(-[^/]*)?\.(whl|tar\.gz|zip)$")


class ManifestError(ValueError):
    """The manifest does not parse; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Requirement:
    name: str  # as written
    extras: str  # "" or "a,b"
    spec: str  # version specifier (">=1.0,<2", "^1.2", "@ url"); "" when unpinned
    line: int
    column: int  # 1-based column of the name; 1 when only the line is known

    @property
    def display(self) -> str:
        extras = f"[{self.extras}]" if self.extras else ""
        spec = self.spec if not self.spec.startswith("@") else f" {self.spec}"
        return f"{self.name}{extras}{spec}"

    @property
    def pin(self) -> str:
        spec = self.spec.strip()
        if not spec or spec == "*":
            return "unpinned"
        if spec.startswith("@"):
            return "pinned to a URL"
        exact = re.fullmatch(r"===?\s*([^,;\s]+)", spec)
        if exact and "*" not in exact.group(1):
            return f"pinned to {exact.group(1)}"
        return f"constrained to {spec}"


def manifest_format(path: str) -> str:
    """Which reader a manifest needs, from its file name."""
    name = PurePosixPath(path).name
    if name == "pyproject.toml":
        return "pyproject"
    if name == "setup.cfg":
        return "setup.cfg"
    if name == "setup.py":
        return "setup.py"
    if name == "Pipfile":
        return "pipfile"
    return "requirements"


def analyze(source: SourceFile, data: bytes, analyzer: Analyzer, full: bool = True) -> FileFacts:
    """Dependency findings of one manifest. Always analyzed in full: the prefilter
    knows no distribution names, and manifests are few and small."""
    try:
        text = decode(data)
    except DecodeError as exc:
        return failed_facts(source, "decode-error", f"{exc}; save the file as UTF-8", 0)
    lines = count_lines(text)
    try:
        requirements = list(read_requirements(manifest_format(source.path), text))
    except ManifestError as exc:
        return failed_facts(source, "parse-error", str(exc), lines)
    hits = [hit for req in requirements for hit in requirement_hits(req, analyzer.index)]
    return FileFacts(
        path=source.path,
        kind="manifest",
        module=None,
        lines=lines,
        findings=tuple(to_findings(paired(hits), source.path, text.splitlines())),
        suppressions=suppressions(text),
    )


def requirement_hits(req: Requirement, index: RuleIndex) -> list[Hit]:
    """The ``dependencies`` rules' hits on one requirement, carrying its pin."""
    span = Span(req.line, req.column, req.line, req.column + len(req.name))
    fact = DependencyFact(normalize_distribution(req.name), req.display, span)
    return [Hit(hit.rule, hit.span, hit.subject, hit.confidence, req.pin)
            for hit in index.hits(fact)]


def read_requirements(fmt: str, text: str) -> Iterator[Requirement]:
    if fmt == "requirements":
        return requirements_txt(text)
    if fmt == "pyproject":
        return pyproject(text)
    if fmt == "setup.cfg":
        return setup_cfg(text)
    if fmt == "setup.py":
        return setup_py(text)
    return pipfile(text)


def parse_requirement(text: str, line: int, column: int = 1) -> Requirement | None:
    """A PEP 508 string (markers dropped) as a ``Requirement``; None for non-requirements."""
    body = text.split(";", 1)[0].strip()
    match = _REQUIREMENT.match(body)
    if match is None:
        return None
    rest = match.group("rest").strip()
    if rest.startswith("(") and rest.endswith(")"):  # old style: name (>=1.0)
        rest = rest[1:-1].strip()
    if rest and not rest.startswith(("@", "<", ">", "=", "!", "~")):
        return None
    spec = rest if rest.startswith("@") else re.sub(r"\s+", "", rest)
    offset = text.find(match.group("name"))
    return Requirement(match.group("name"), re.sub(r"\s+", "", match.group("extras") or ""),
                       spec, line, column + max(offset, 0))


# --------------------------------------------------------------------------- requirements.txt


def requirements_txt(text: str) -> Iterator[Requirement]:
    for number, line in _logical_lines(text):
        content = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].rstrip()
        stripped = content.strip()
        if not stripped:
            continue
        if stripped.startswith("-"):
            # -r/-c includes and index options name no distribution; editable VCS
            # installs do (#egg=name).
            if stripped.startswith(("-e", "--editable")):
                egg = _EGG.search(stripped)
                if egg:
                    yield Requirement(egg.group("name"), "", "", number,
                                      line.find(egg.group("name")) + 1)
            continue
        if "://" in stripped.split("@")[0] or stripped.startswith((".", "/")):
            wheel = _WHEEL.search(stripped.split("#")[0])
            egg = _EGG.search(stripped)
            if wheel:
                name = wheel.group("name")
                yield Requirement(name, "", f"=={wheel.group('version')}", number,
                                  line.find(name) + 1)
            elif egg:
                yield Requirement(egg.group("name"), "", "", number, line.find(egg.group("name")) + 1)
            continue
        requirement = parse_requirement(content, number, 1)
        if requirement is not None:
            yield requirement


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with ``\\`` continuations joined, numbered by their first physical line."""
    pending: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            first = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield first, " ".join(pending) if len(pending) > 1 else pending[0]
        pending = []
    if pending:
        yield first, " ".join(pending)


# --------------------------------------------------------------------------- TOML manifests


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML ({exc}); fix the syntax") from exc


def pyproject(text: str) -> Iterator[Requirement]:
    document = _toml(text)
    finder = _LineFinder(text.splitlines())
    project = _table(document.get("project"))
    strings: list[str] = list(_strings(project.get("dependencies")))
    for group in _table(project.get("optional-dependencies")).values():
        strings.extend(_strings(group))
    for group in _table(document.get("dependency-groups")).values():
        strings.extend(_strings(group))
    # Hatch metadata hooks (`[tool.hatch.metadata.hooks.<hook>]`, e.g. uv-dynamic-versioning)
    # may declare the dynamic `dependencies` / `optional-dependencies` instead of [project].
    hooks = _table(_table(_table(_table(document.get("tool")).get("hatch")).get("metadata")).get("hooks"))
    for hook in hooks.values():
        strings.extend(_strings(_table(hook).get("dependencies")))
        for group in _table(_table(hook).get("optional-dependencies")).values():
            strings.extend(_strings(group))
    for value in strings:
        line, column = finder.quoted(value)
        requirement = parse_requirement(value, line, column + 1)
        if requirement is not None:
            yield requirement
    poetry = _table(_table(document.get("tool")).get("poetry"))
    sections = [("tool.poetry.dependencies", poetry.get("dependencies")),
                ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"))]
    for name, group in _table(poetry.get("group")).items():
        sections.append((f"tool.poetry.group.{name}.dependencies", _table(group).get("dependencies")))
    for header, table in sections:
        yield from _keyed(finder, header, _table(table), skip=frozenset({"python"}))


def pipfile(text: str) -> Iterator[Requirement]:
    document = _toml(text)
    finder = _LineFinder(text.splitlines())
    for header in ("packages", "dev-packages"):
        yield from _keyed(finder, header, _table(document.get(header)))


def _keyed(
    finder: _LineFinder, header: str, table: dict[str, Any], skip: frozenset[str] = frozenset()
) -> Iterator[Requirement]:
    """Poetry / Pipfile style: ``name = "spec"`` or ``name = {version = "spec", ...}``."""
    for name, value in table.items():
        if name in skip:
            continue
        spec, extras = _keyed_spec(value)
        line, column = finder.key(header, name)
        yield Requirement(name, extras, spec, line, column)


def _keyed_spec(value: Any) -> tuple[str, str]:
    """(version spec, extras) of a Poetry/Pipfile entry; ``*`` means unpinned."""
    if isinstance(value, list):  # several constraints by marker: the first one speaks
        value = next((v for v in value if isinstance(v, dict)), {})
    if isinstance(value, str):
        version, extras = value, ""
    elif isinstance(value, dict):
        version = value.get("version") if isinstance(value.get("version"), str) else ""
        source = value.get("git") or value.get("url") or value.get("path")
        if not version and isinstance(source, str):
            return f"@ {source}", ""
        extras = ",".join(_strings(value.get("extras")))
    else:
        version, extras = "", ""
    version = re.sub(r"\s+", "", version or "")
    return ("" if version == "*" else version), extras


class _LineFinder:
    """Where a TOML value or key is written (tomllib keeps no positions)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.used: set[tuple[int, int]] = set()

    def quoted(self, value: str) -> tuple[int, int]:
        for quote in ('"', "'"):
            needle = f"{quote}{value}{quote}"
            for number, line in enumerate(self.lines, start=1):
                column = line.find(needle)
                if column >= 0 and (number, column) not in self.used:
                    self.used.add((number, column))
                    return number, column + 1
        return 1, 0

    def bare(self, value: str) -> tuple[int, int]:
        for number, line in enumerate(self.lines, start=1):
            column = line.find(value)
            if column >= 0 and (number, column) not in self.used:
                self.used.add((number, column))
                return number, column + 1
        return 1, 1

    def key(self, header: str, name: str) -> tuple[int, int]:
        start = 0
        header_line = re.compile(rf"^\s*\[\s*{re.escape(header)}\s*\]\s*(#.*)?$")
        for number, line in enumerate(self.lines):
            if header_line.match(line):
                start = number
                break
        key = re.compile(rf"^(\s*)[\"']?{re.escape(name)}[\"']?\s*=")
        for number in range(start, len(self.lines)):
            found = key.match(self.lines[number])
            if found:
                return number + 1, len(found.group(1)) + 1
        return 1, 1


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


# --------------------------------------------------------------------------- setup.cfg / setup.py


def setup_cfg(text: str) -> Iterator[Requirement]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        first = str(exc).splitlines()[0]
        raise ManifestError(f"not a valid setup.cfg ({first}); fix the syntax") from exc
    values: list[str] = []
    if parser.has_option("options", "install_requires"):
        values.extend(_cfg_list(parser.get("options", "install_requires")))
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            values.extend(_cfg_list(value))
    finder = _LineFinder(text.splitlines())
    for value in values:
        line, column = finder.bare(value)
        requirement = parse_requirement(value, line, column)
        if requirement is not None:
            yield requirement


def _cfg_list(value: str) -> list[str]:
    items = [v.split("#", 1)[0].strip() for v in re.split(r"[\n;]", value)]
    return [v for v in items if v and not v.startswith("file:")]


def setup_py(text: str) -> Iterator[Requirement]:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ManifestError(f"syntax error at line {exc.lineno}: {exc.msg}; fix setup.py") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ManifestError(f"cannot parse setup.py ({type(exc).__name__})") from exc
    names = _module_literals(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _is_setup(node.func):
            continue
        for keyword in node.keywords:
            if keyword.arg == "install_requires":
                yield from _literal_requirements(keyword.value, names)
            elif keyword.arg == "extras_require":
                value = names.get(keyword.value.id, keyword.value) if isinstance(
                    keyword.value, ast.Name) else keyword.value
                if isinstance(value, ast.Dict):
                    for item in value.values:
                        yield from _literal_requirements(item, names)


def _is_setup(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "setup") or (
        isinstance(func, ast.Attribute) and func.attr == "setup"
    )


def _module_literals(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = [...]`` / ``{...}`` assignments, the last one winning."""
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple | ast.Dict):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
    return found


def _literal_requirements(node: ast.expr, names: dict[str, ast.expr]) -> Iterator[Requirement]:
    if isinstance(node, ast.Name):
        node = names.get(node.id, node)
    if not isinstance(node, ast.List | ast.Tuple):
        return
    for element in node.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            requirement = parse_requirement(element.value, element.lineno, element.col_offset + 2)
            if requirement is not None:
                yield requirement


__all__ = ["Requirement", "analyze", "manifest_format", "parse_requirement", "read_requirements"]
