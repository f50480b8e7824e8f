"""What the engine hands to the matchers: sites (calls, chains, comparisons, with
symbolic paths resolved as far as one file allows) and literal facts (imports, dicts,
strings, config values, requirements). Rules are matched against them
(``lockscan.ruleset.index``), in the file's own analysis and again in the link stage
once cross-file names resolve (deferred sites)."""

from __future__ import annotations

from dataclasses import dataclass

from lockscan.model.source import Span


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call. ``path`` is the callee resolved through aliases and tracked clients,
    e.g. ``openai.OpenAI().chat.completions.create`` for ``client.chat.completions.create``."""

    path: str
    text: str  # the callee as written
    keywords: tuple[tuple[str, str], ...]  # (name, summary of literal tokens in the value)
    span: Span


@dataclass(frozen=True, slots=True)
class ChainSite:
    """An attribute/subscript chain, e.g. ``resp.choices[0].message.content``.

    ``path`` is ``<resolved root>.choices[].message.content`` when the root resolves,
    else the chain as written with string subscripts turned into segments."""

    path: str
    text: str
    resolved: bool
    span: Span


@dataclass(frozen=True, slots=True)
class CompareSite:
    """A comparison of a chain with string literals: ``x.finish_reason == "tool_calls"``."""

    path: str
    resolved: bool
    values: tuple[str, ...]
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class KeywordSite:
    """One request option a call receives without writing it as a keyword: an entry of
    a dict spread into it (``create(**params)`` after ``params["seed"] = 1``) or of its
    ``extra_body``. ``path`` is the call's, ``span`` where the entry is written."""

    path: str
    name: str
    value: str  # summary of literal tokens in the entry's value
    span: Span


Site = CallSite | ChainSite | CompareSite | KeywordSite


@dataclass(frozen=True, slots=True)
class DeferredSite:
    """A site rooted in a name imported from another module of the scanned repo.

    The link stage resolves it when that module binds the name to a vendor object
    (``from app.llm import client`` where ``app/llm.py`` has ``client = OpenAI()``).
    """

    site: Site
    root: str  # the imported dotted name the path starts with, e.g. "app.llm.client"
    resolved_path: str  # the site's path with that import spelled out in full
    snippet: str  # the source line, for the finding the link stage may create
    cell: int | None = None  # notebook cell the site is in (its span is cell-relative)


# Literal facts: what the engine read from literals, files and manifests, matched by the
# matchers that declare them (``lockscan.ruleset.matchers``).


@dataclass(frozen=True, slots=True)
class ImportFact:
    """An import statement; ``modules`` are the absolute names it binds."""

    modules: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class AssignFact:
    """An assignment to a resolved attribute (``openai.api_key = ...``); ``value`` holds
    the literal tokens of the assigned value."""

    path: str
    text: str
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class DictFact:
    """A dict literal or ``dict(...)`` call."""

    keys: frozenset[str]
    values: tuple[tuple[str, str], ...]  # (key, literal string value)
    nested: tuple[tuple[str, frozenset[str]], ...]  # (key, keys of the nested dict)
    span: Span
    # When the dict ends a list literal of 2+ dicts: the keys all of them share.
    list_common_keys: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class StringFact:
    """A string literal in Python code (``file_kind`` ``python`` or ``notebook``)."""

    value: str
    span: Span
    env_context: bool = False  # argument of os.getenv / os.environ[...]
    file_kind: str = "python"


@dataclass(frozen=True, slots=True)
class EnvNameFact:
    """An environment variable read by name, not by a literal: a settings-class field
    (``openai_api_key: str``) or a key in a dotenv template."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class ClientEnvFact:
    """An environment variable a vendor client is constructed with
    (``OpenAI(api_key=os.environ["MY_KEY"])``): whatever its name, a deployment sets it
    for that vendor. ``vendor``: the client rule's vendor; ``host``: the vendor the
    client was pointed at by its base URL, if another."""

    name: str
    vendor: str
    host: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class TextValueFact:
    """One value of a config file (a YAML value, a JSON string); ``span`` is where the
    value starts, and a hit spans the part of it that matched."""

    value: str
    span: Span
    file_kind: str = "config"


@dataclass(frozen=True, slots=True)
class PromptFact:
    """The whole text of a prompt or template file."""

    text: str


@dataclass(frozen=True, slots=True)
class DependencyFact:
    """A requirement in a manifest: its normalised distribution name and the text shown."""

    distribution: str
    spec: str
    span: Span


Fact = (CallSite | ChainSite | CompareSite | KeywordSite | ImportFact | AssignFact | DictFact
        | StringFact | EnvNameFact | ClientEnvFact | TextValueFact | PromptFact | DependencyFact)
