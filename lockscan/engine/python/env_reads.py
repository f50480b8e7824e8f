"""Environment reads beyond a literal name, mixed into the extractor
(``extract._Extractor``): the fields of a pydantic settings class, a read through a name
constant, and the variables a vendor client is constructed with, whatever the project
calls them."""

from __future__ import annotations

import re

import libcst as cst

from lockscan.engine.python.literal_sites import UNPLACED
from lockscan.engine.python.literals import env_prefix, string_value
from lockscan.engine.python.symbols import SymbolTable
from lockscan.model import ClientEnvFact, EnvNameFact, StringFact
from lockscan.ruleset.index import RuleIndex
from lockscan.ruleset.matchers import Hit

ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop",
                       "os.putenv"})
# Bases whose annotated fields are read from the environment (pydantic-settings v2,
# pydantic v1): field `openai_api_key` reads OPENAI_API_KEY (case-insensitive).
SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic_settings.main.BaseSettings",
                            "pydantic.BaseSettings", "pydantic.v1.BaseSettings"})
ENV_READS = frozenset({"os.getenv", "os.environ.get"})
MAX_ENV_HOPS = 3  # names and operators followed from a client's argument to an env read
# Client keywords that say where or as whom it connects (`api_key`, `openai_api_base`,
# `azure_endpoint`, `region_name`, `azure_deployment`), not what it asks for (`model`).
CLIENT_SETTING = re.compile(r"key|token|secret|credential|base|url|endpoint|host|org|project"
                            r"|account|region|location|version|deployment", re.IGNORECASE)


class EnvReads:
    """Helpers for ``visit_Call`` / ``visit_Subscript``; the extractor provides the state
    below."""

    table: SymbolTable
    index: RuleIndex
    file_kind: str
    type_checking: int

    module: str
    settings_classes: set[str]

    def add_hits(self, hits: list[Hit], node: cst.CSTNode) -> None:  # pragma: no cover
        raise NotImplementedError

    def _is_settings_base(self, base: cst.BaseExpression) -> bool:
        path = self.table.resolve(base)
        return path in SETTINGS_BASES or path in self.settings_classes

    def _settings_fields(self, node: cst.ClassDef) -> None:
        """Each annotated field of a settings class reads ``<env_prefix><FIELD>``."""
        body = [s for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
                for s in line.body]
        prefix = env_prefix(node)
        for statement in body:
            if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
                name = f"{prefix}{statement.target.value}".upper()
                self.add_hits(self.index.hits(EnvNameFact(name, UNPLACED)), statement.target)

    def env_constant(self, name: cst.BaseExpression, read: cst.CSTNode) -> None:
        """``os.getenv(KEY_NAME)`` after ``KEY_NAME = "GOOGLE_API_KEY"``: a read of that
        variable, reported at the read (its env rules only: the literal itself is
        matched where it is written)."""
        if type(name) is not cst.Name or self.type_checking:
            return
        bound = self.table.own_expression(name.value)  # type: ignore[attr-defined]
        value = string_value(bound) if bound is not None else None
        if value:
            hits = self.index.hits(StringFact(value, UNPLACED, True, self.file_kind))
            self.add_hits([hit for hit in hits if hit.rule.kind == "env_var"], read)

    def client_env_since(self, node: cst.Call, before: int) -> None:
        """``client_env`` for the first client rule among the hits since ``before`` (the
        hits of the call ``node``), if any."""
        client = next((hit for hit in self.facts.hits[before:] if hit.rule.kind == "client"), None)
        if client is not None:
            self.client_env(node, client)

    def client_env(self, node: cst.Call, client: Hit) -> None:
        """The environment variables a vendor client is constructed with, read in its
        keyword arguments (``api_key=os.environ["MY_KEY"]``, ``base_url=BASE`` after
        ``BASE = os.getenv("MY_URL")``), each reported where it is read. Only keywords
        that say where or as whom the client connects (a key, a URL, a region, an Azure
        deployment...): a ``model=`` read from the environment is the app's choice, not
        the vendor's. A name some ``env`` or name rule knows is reported as that."""
        for arg in node.args:
            if arg.keyword is None or not CLIENT_SETTING.search(arg.keyword.value):
                continue
            for name, read in self.env_reads(arg.value, 0):
                known = self.index.hits(StringFact(name, UNPLACED, True, self.file_kind))
                if any(hit.rule.kind == "env_var" for hit in known):
                    continue
                fact = ClientEnvFact(name, client.rule.vendor, client.vendor, UNPLACED)
                self.add_hits(self.index.hits(fact), read)

    def env_reads(self, node: cst.BaseExpression, depth: int) -> list[tuple[str, cst.CSTNode]]:
        """(name, read) of each literal-named environment read ``node`` is made of:
        ``os.environ["X"]``, ``os.getenv("X", default)``, ``... or "default"``,
        ``... + "/v1"``, or a name last assigned one of those in its scope."""
        kind = type(node)
        if kind is cst.Subscript and len(node.slice) == 1 and \
                type(node.slice[0].slice) is cst.Index and \
                self.table.resolve(node.value) == "os.environ":  # type: ignore[attr-defined]
            name = string_value(node.slice[0].slice.value)  # type: ignore[attr-defined]
            return [(name, node)] if name else []
        if kind is cst.Call and node.args and \
                self.table.resolve(node.func) in ENV_READS:  # type: ignore[attr-defined]
            name = string_value(node.args[0].value)  # type: ignore[attr-defined]
            return [(name, node)] if name else []
        if depth >= MAX_ENV_HOPS:
            return []
        if kind is cst.BooleanOperation or kind is cst.BinaryOperation:
            return (self.env_reads(node.left, depth + 1)  # type: ignore[attr-defined]
                    + self.env_reads(node.right, depth + 1))  # type: ignore[attr-defined]
        if kind is cst.Name:
            bound = self.table.own_expression(node.value)  # type: ignore[attr-defined]
            return self.env_reads(bound, depth + 1) if bound is not None else []
        return []
