"""Call facts that live in arguments: which host an SDK client talks to, which AWS
service a ``boto3`` client is for. Both come from rule data ([vendor] tables), never
from code here, and both become part of the symbolic value of the call:

* ``argument_calls``: ``boto3.client("bedrock-runtime")`` resolves to
  ``boto3.client(bedrock-runtime)``, so ``client.converse`` resolves to
  ``boto3.client(bedrock-runtime).converse`` and rules can tell it from
  ``boto3.client(s3)``.
* ``base_url_clients`` + ``base_url_arguments`` + ``hosts`` / ``base_url_env``:
  ``OpenAI(base_url="https://api.together.xyz/v1")`` resolves to
  ``openai.OpenAI()@together``. The ``@vendor`` tag rides along through assignments,
  attributes and imports, is ignored by path patterns, and sets the vendor of every
  finding on that client (``lockscan.ruleset.index.split_vendor``). A literal URL whose host
  no table knows goes to the vendor that declares the client pattern
  (``openai_compatible``). A name or attribute spelled like a ``base_url_env`` entry
  (``settings.groq_base_url``, an imported ``GROQ_BASE_URL``) counts as that variable,
  the way pydantic settings fill fields. Any other base URL adds no tag.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import libcst as cst

from lockscan.ruleset import RuleSet
from lockscan.ruleset.paths import path_pattern_regex

ENV_READS = frozenset({"os.getenv", "os.environ.get"})
MAX_LITERAL = 64  # longer first arguments are not service names

Resolver = Callable[[cst.BaseExpression], "str | None"]
ExpressionLookup = Callable[[str], "cst.BaseExpression | None"]


@dataclass(frozen=True)
class Endpoints:
    argument_calls: tuple[tuple[re.Pattern[str], str], ...] = ()
    argument_tails: Mapping[str, str] = field(default_factory=dict)  # last name -> keyword
    clients: tuple[tuple[re.Pattern[str], str], ...] = ()  # (callee regex, declaring vendor)
    base_url_arguments: frozenset[str] = frozenset()
    hosts: tuple[tuple[str, str], ...] = ()  # longest key first
    env: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.argument_calls or self.clients)

    # ------------------------------------------------------------------ argument calls

    def literal_argument(self, func: str, node: cst.Call) -> str | None:
        """The first literal argument of an ``argument_calls`` call, if path-safe. A call
        that only ends like one (``session.client("bedrock-runtime")`` on a session from
        another module's factory) keeps it too: the link stage may resolve the receiver
        to ``boto3.Session()``, and without the service the client would be lost."""
        keyword = next((k for regex, k in self.argument_calls if regex.fullmatch(func)), None)
        if keyword is None:
            keyword = self.argument_tails.get(func.rpartition(".")[2])
            if keyword is None:
                return None
        value = None
        for arg in node.args:
            if arg.keyword is None and arg.star == "":
                value = _string(arg.value)
                break
            if arg.keyword is not None and arg.keyword.value == keyword:
                value = _string(arg.value)
                break
        if value and len(value) <= MAX_LITERAL and re.fullmatch(r"[A-Za-z0-9_-]+", value):
            return value
        return None

    # ------------------------------------------------------------------ base URLs

    def base_url_vendor(
        self, func: str, node: cst.Call, resolve: Resolver, lookup: ExpressionLookup
    ) -> str | None:
        """The vendor a client constructor's base-URL argument points at, if readable."""
        owner = next((vendor for regex, vendor in self.clients if regex.fullmatch(func)), None)
        if owner is None:
            return None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in self.base_url_arguments:
                return self._vendor_of(arg.value, owner, resolve, lookup, 0)
        return None

    def _vendor_of(
        self,
        node: cst.BaseExpression,
        owner: str,
        resolve: Resolver,
        lookup: ExpressionLookup,
        depth: int,
    ) -> str | None:
        if depth > 4:
            return None
        literal = _string(node)
        if literal is not None:
            return self.vendor_for_url(literal, owner)
        if isinstance(node, cst.Name):
            bound = lookup(node.value)
            if bound is not None:
                return self._vendor_of(bound, owner, resolve, lookup, depth + 1)
            return self.vendor_for_env(node.value.upper())  # GROQ_BASE_URL imported
        if isinstance(node, cst.Attribute):  # settings.openrouter_base_url
            return self.vendor_for_env(node.attr.value.upper())
        if isinstance(node, cst.BinaryOperation):  # os.environ["X"] + "/v1"
            return self._vendor_of(node.left, owner, resolve, lookup, depth + 1)
        if isinstance(node, cst.BooleanOperation):  # os.getenv("X") or "http://..."
            return (self._vendor_of(node.left, owner, resolve, lookup, depth + 1)
                    or self._vendor_of(node.right, owner, resolve, lookup, depth + 1))
        if isinstance(node, cst.Subscript) and resolve(node.value) == "os.environ" and \
                len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            name = _string(node.slice[0].slice.value)
            return self.vendor_for_env(name) if name else None
        if isinstance(node, cst.Call) and resolve(node.func) in ENV_READS and node.args:
            name = _string(node.args[0].value)
            found = self.vendor_for_env(name) if name else None
            if found is None:
                default = node.args[1].value if len(node.args) > 1 else None
                found = self._vendor_of(default, owner, resolve, lookup, depth + 1) \
                    if default is not None else None
            return found
        return None

    def vendor_for_env(self, name: str) -> str | None:
        return next((vendor for key, vendor in self.env if key == name), None)

    def vendor_for_url(self, url: str, owner: str) -> str | None:
        """Vendor of a base URL: the longest matching ``hosts`` key, else ``owner``.
        Keys are ``host``, ``host:port``, ``host/path-prefix``, ``.domain-suffix``,
        ``:port``, and may use ``*`` for one label run (``bedrock-runtime.*.amazonaws.com``).
        None for strings that are not URLs (then nothing is known)."""
        text = url.strip()
        if not text or " " in text:
            return None
        try:
            parts = urlsplit(text if "://" in text else f"http://{text}")
            host, port = (parts.hostname or "").lower(), parts.port
        except ValueError:  # a malformed IPv6 host or port
            return None
        if not host or ("://" not in text and "." not in host and host != "localhost"):
            return None
        hostport = f"{host}:{port}" if port else host
        path = parts.path.rstrip("/")
        for key, vendor in self.hosts:
            key_host, _, key_path = key.partition("/")
            host_ok = key_host in (host, hostport) or (
                "*" in key_host and fnmatch.fnmatchcase(hostport if ":" in key_host else host,
                                                        key_host)
            ) or (
                key_host.startswith(".") and host.endswith(key_host)
            ) or (key_host.startswith(":") and port is not None and key_host == f":{port}")
            if host_ok and (not key_path or f"{path}/".startswith(f"/{key_path.rstrip('/')}/")):
                return vendor
        return owner


def compile_endpoints(rules: RuleSet) -> Endpoints:
    """The endpoint tables of a rule set's vendors (``Analyzer.endpoints`` keeps them)."""
    argument_calls = []
    tails: dict[str, str] = {}
    clients = []
    arguments: set[str] = set()
    hosts: dict[str, str] = {}
    env: dict[str, str] = {}
    for vendor in rules.vendors:
        for pattern, keyword in vendor.argument_calls:
            argument_calls.append((re.compile(path_pattern_regex(pattern)), keyword))
            tails[pattern.rpartition(".")[2]] = keyword
        clients.extend((re.compile(path_pattern_regex(p)), vendor.id)
                       for p in vendor.base_url_clients)
        arguments.update(vendor.base_url_arguments)
        hosts.update((key.lower(), target) for key, target in vendor.hosts)
        env.update(vendor.base_url_env)
    return Endpoints(
        argument_calls=tuple(argument_calls),
        argument_tails=tails,
        clients=tuple(clients),
        base_url_arguments=frozenset(arguments),
        hosts=tuple(sorted(hosts.items(), key=lambda item: (-len(item[0]), item[0]))),
        env=tuple(sorted(env.items())),
    )


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        try:
            value = node.evaluated_value
        except Exception:  # malformed escapes in a literal
            return None
        return value if isinstance(value, str) else None
    return None
