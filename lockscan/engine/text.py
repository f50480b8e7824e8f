"""Prompt/template files and config files: string rules over their text.

Two readings, one per kind:

* ``prompt`` files (``.prompt``, ``.j2``, templates under ``prompts/``) are prose. Each
  string rule whose ``files`` include ``prompt`` is searched over the whole text, so
  multi-line fingerprints such as ``\\n\\nHuman:`` are found; a table rule matches a
  whole line.
* ``config`` files (YAML, TOML, JSON, INI, ``.env.example``) are key/value data. Each
  line yields *values*: every quoted string, the unquoted value of ``key: value`` /
  ``key = value`` / ``KEY=value`` / ``- item`` (trailing comment dropped), or the whole
  line when it is none of these (a YAML block-scalar line). String rules whose
  ``files`` include ``config`` run on each value, so a model-id regex anchored ``^…$``
  matches ``model: gpt-4o`` but not ``# try gpt-4o later`` or ``my-gpt-4o-notes``.
  Comment lines (``#``, ``//``, ``;``) are skipped. In dotenv templates
  (``.env.example``) each ``KEY=`` also goes to the ``env`` rules, and in a ``.json``
  file each object goes to the ``dict`` rules, placed at its ``{``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lockscan.engine.findings import paired, to_findings
from lockscan.engine.json_objects import dict_shapes, json_objects
from lockscan.engine.source import DecodeError, count_lines, decode, failed_facts
from lockscan.engine.suppressions import suppressions
from lockscan.model import (
    DictFact,
    EnvNameFact,
    FileFacts,
    PromptFact,
    SourceFile,
    Span,
    TextValueFact,
)
from lockscan.model.source import is_dotenv_name
from lockscan.ruleset.index import RuleIndex
from lockscan.ruleset.matchers import Hit
from lockscan.ruleset.regex import searchable

if TYPE_CHECKING:
    from lockscan.engine.analyzer import Analyzer

MAX_CONFIG_BYTES = 512_000  # a larger .json/.yaml is data (fixtures, datasets), not config
MAX_JSON_OBJECTS_CHARS = 100_000  # larger JSON is read value by value only
MAX_LINE = 4000  # longer config lines (minified JSON) are read as quoted strings only

_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'')
_KEY_VALUE = re.compile(
    r"""^(?P<lead>\s*(?:export\s+|-\s+)?)(?P<key>"[^"]*"|'[^']*'|[A-Za-z0-9_.$@/-]+)\s*"""
    r"""(?P<sep>:(?=\s|$)|=)\s*(?P<value>.*)$"""
)
_LIST_ITEM = re.compile(r"^(?P<lead>\s*-\s+)(?P<value>.*)$")
_TRAILING_COMMENT = re.compile(r"\s+(#|//|;).*$")
_COMMENT_LINE = ("#", "//", ";")


def analyze(source: SourceFile, data: bytes, analyzer: Analyzer, full: bool) -> FileFacts:
    """Findings of a prompt or config file; unreadable bytes become a diagnostic."""
    if source.kind == "config" and len(data) > MAX_CONFIG_BYTES:
        return failed_facts(source, "too-large", f"{len(data)} bytes is more than a config file "
                            f"({MAX_CONFIG_BYTES}); read as data and skipped", 0)
    try:
        text = decode(data)
    except DecodeError as exc:
        return failed_facts(source, "decode-error", f"{exc}; save the file as UTF-8", 0)
    lines = count_lines(text)
    if "\x00" in text:
        return failed_facts(source, "binary-file", "contains null bytes; not a text file",
                            lines)
    if not full:
        return FileFacts(source.path, source.kind, None, lines, analyzed=False)
    index = analyzer.index
    if source.kind == "prompt":
        hits = index.hits(PromptFact(text))
    else:
        hits = list(config_hits(index, text))
        if is_env_file(source.path):
            hits.extend(env_file_hits(index, text))
        if source.path.endswith(".json") and len(text) <= MAX_JSON_OBJECTS_CHARS:
            hits.extend(json_dict_hits(index, text))
    text_lines = text.splitlines()
    return FileFacts(
        path=source.path,
        kind=source.kind,
        module=None,
        lines=lines,
        findings=tuple(to_findings(paired(hits), source.path, text_lines)),
        suppressions=suppressions(text),
    )


# --------------------------------------------------------------------------- configs


def config_hits(index: RuleIndex, text: str) -> Iterator[Hit]:
    screen = index.text_screen("config")
    for number, line in enumerate(text.splitlines(), start=1):
        if not screen.search(searchable(line)):
            continue
        for value, column in config_values(line):
            span = Span(number, column, number, column + len(value))
            yield from index.hits(TextValueFact(value, span, "config"))


_ENV_LINE = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Z][A-Z0-9_]*)\s*=")


def is_env_file(path: str) -> bool:
    """``.env.example``, ``.env.sample``, ``env.example``, ``dotenv_test``: dotenv templates."""
    name = PurePosixPath(path).name
    return name.startswith(".env") or name.startswith("env.") or is_dotenv_name(name)


def env_file_hits(index: RuleIndex, text: str) -> Iterator[Hit]:
    """A dotenv template names the variables a deployment must set: each vendor
    variable there (``OPENAI_API_KEY=``) is the same coupling as reading it in code."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _ENV_LINE.match(line)
        if found:
            column = found.start("key") + 1
            span = Span(number, column, number, column + len(found.group("key")))
            yield from index.hits(EnvNameFact(found.group("key"), span))


def json_dict_hits(index: RuleIndex, text: str) -> Iterator[Hit]:
    """Each object of a JSON document is a dict literal to the ``dict`` rules (a tool
    definition or a few-shot tool call kept in ``tools.json``), placed at its ``{``."""
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    for offset, entries in json_objects(text):
        line = bisect_right(starts, offset)
        column = offset - starts[line - 1] + 1
        keys, values, nested = dict_shapes(entries)
        yield from index.hits(DictFact(keys, values, nested, Span(line, column, line, column + 1)))


def config_values(line: str) -> list[tuple[str, int]]:
    """The values a config line holds, each with its 1-based start column."""
    stripped = line.strip()
    if not stripped or stripped.startswith(_COMMENT_LINE):
        return []
    values = [
        (match.group(1) if match.group(1) is not None else match.group(2), match.start() + 2)
        for match in _QUOTED.finditer(line)
    ]
    if len(line) > MAX_LINE:
        return values
    shaped = _KEY_VALUE.match(line) or _LIST_ITEM.match(line)
    if shaped is None:
        return values or [(stripped, line.index(stripped) + 1)]
    raw = shaped.group("value")
    if raw and raw[0] not in "\"'[{|>&*!":
        unquoted = _TRAILING_COMMENT.sub("", raw).rstrip().rstrip(",").rstrip()
        if unquoted:
            values.append((unquoted, shaped.start("value") + 1))
    return values
