"""Analyze one parsed Python module: extract sites and facts, match them, collect hits.

Two passes over one parse. The first (``bindings``) binds module-level names so that
use before definition still resolves; the second, here, walks everything in source
order with function scopes, handing call sites, attribute chains, comparisons,
assignments, dict and string literals to the rule index (``RuleIndex.hits``).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import libcst as cst

from lockscan.engine.findings import snippet_at
from lockscan.engine.python.bindings import (
    absolute_module,
    bind_module,
    exports,
    function_binding,
    import_bindings,
    import_root,
    module_package,
    runtime_import,
)
from lockscan.engine.python.env_reads import ENV_CALLS, EnvReads
from lockscan.engine.python.flow import PARTIAL, ValueFlow
from lockscan.engine.python.functions import called_name, ends_with_call
from lockscan.engine.python.literal_sites import UNPLACED, LiteralSites
from lockscan.engine.python.literals import literal_tokens, string_values
from lockscan.engine.python.positions import Positions
from lockscan.engine.python.request_dicts import RequestDicts
from lockscan.engine.python.symbols import (
    OPAQUE,
    SHAPE,
    Factory,
    SymbolTable,
    chain_inner,
    chain_text,
    dotted_name,
    own_instance,
    parameter_value,
    shape_path,
    value_call,
)
from lockscan.engine.python.walk import walk
from lockscan.model import (
    CallSite,
    ChainSite,
    CompareSite,
    DeferredSite,
    ImportFact,
    ImportRef,
    KeywordSite,
    Site,
    Span,
)
from lockscan.ruleset.index import RuleIndex, is_fallback
from lockscan.ruleset.matchers import Hit

if TYPE_CHECKING:
    from lockscan.engine.analyzer import Analyzer

STDLIB = frozenset(sys.stdlib_module_names)
MAX_DEFERRED = 5000  # per file; keeps cached facts small on huge generated files


@dataclass
class PythonFacts:
    """What one file yields before paths and snippets are attached."""

    imports: list[ImportRef] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    deferred: list[DeferredSite] = field(default_factory=list)
    exports: list[tuple[str, str]] = field(default_factory=list)


def extract(
    tree: cst.Module,
    module: str,
    is_package: bool,
    analyzer: Analyzer,
    lines: Sequence[str] = (),
    file_kind: str = "python",
    text: str | None = None,
    syntax: ast.Module | None = None,
) -> PythonFacts:
    """Facts of one parsed module; ``file_kind`` is ``notebook`` for notebook code cells.
    ``text`` is the source ``tree`` was parsed from (regenerated from the tree if not
    given, which costs about as much as the analysis); ``syntax`` is its ``ast`` parse,
    if there is one already."""
    positions = Positions(tree, tree.code if text is None else text, syntax)
    index = analyzer.index
    table = SymbolTable(module=module, transparent=analyzer.rules.transparent_attributes,
                        endpoints=analyzer.endpoints, is_vendor=index.is_vendor_path)
    package = module_package(module, is_package)
    bind_module(tree, table, module, package)
    extractor = _Extractor(table, positions, index, module, package, lines, file_kind)
    walk(tree, extractor)
    summaries = extractor.finish()
    facts = extractor.facts
    facts.hits = unshadowed(facts.hits)
    facts.exports = sorted(dict([*exports(table, index, extractor.import_values),
                                 *summaries]).items())
    return facts


def unshadowed(hits: list[Hit]) -> list[Hit]:
    """Without the fallback hits (``Matcher.fallback``) on a line where a named hit of
    the same kind starts (``resp.stop_reason == "end_turn"`` is one stop-reason
    comparison, not also a field read of the response), one per rule and line."""
    if not any(is_fallback(hit) for hit in hits):
        return hits
    taken = {(hit.rule.kind, hit.span.line) for hit in hits if not is_fallback(hit)}
    kept = []
    for hit in hits:
        if is_fallback(hit):
            if (hit.rule.kind, hit.span.line) in taken or (hit.rule.id, hit.span.line) in taken:
                continue
            taken.add((hit.rule.id, hit.span.line))
        kept.append(hit)
    return kept


# --------------------------------------------------------------------------- pass 2


class _Extractor(RequestDicts, ValueFlow, LiteralSites, EnvReads):
    """Handlers for ``lockscan.engine.python.walk.walk``: ``visit_<Type>`` / ``leave_<Type>``."""

    def __init__(
        self,
        table: SymbolTable,
        positions: Positions,
        index: RuleIndex,
        module: str,
        package: str,
        lines: Sequence[str],
        file_kind: str = "python",
    ) -> None:
        self.lines = lines
        self.file_kind = file_kind
        self.table = table
        self.positions = positions
        self.index = index
        self.module = module
        self.package = package
        self.facts = PythonFacts()
        self.import_values: set[str] = set()
        self.type_checking_blocks: set[int] = set()
        self.type_checking = 0
        self.classes: list[str] = []
        self.inner_chains: set[int] = set()
        self.skip_strings: set[int] = set()
        # Env var names read by `os.getenv(...)` / `os.environ[...]` -> that read: a finding
        # on the name spans the whole read, which may start lines above the string.
        self.env_strings: dict[int, cst.CSTNode] = {}
        self.list_tails: dict[int, frozenset[str]] = {}
        self.history_parts: set[int] = set()
        self.settings_classes: set[str] = set()
        self.own_packages = frozenset(module.split(".")) if module else frozenset()
        self.scopes: list[bool] = []  # enclosing class (True) and function (False) bodies
        self.vendor_names: set[str] = set()  # names imported from a vendor module
        self.init_flow()
        self.init_request_dicts()

    # ---------------------------------------------------------------- helpers

    def span(self, node: cst.CSTNode) -> Span:
        return self.positions.span(node)

    def place(self, hits: list[Hit], node: cst.CSTNode) -> list[Hit]:
        """Hits matched at ``UNPLACED``, moved to where ``node`` is."""
        if not hits:
            return hits
        span = self.span(node)
        # Every field of Hit, rebuilt: faster than dataclasses.replace per hit.
        return [Hit(h.rule, span, h.subject, h.confidence, h.data, h.vendor) for h in hits]

    def add_hits(self, hits: list[Hit], node: cst.CSTNode) -> None:
        if hits and not self.type_checking:
            self.facts.hits.extend(self.place(hits, node))

    def route(self, resolved_path: str | None) -> tuple[bool, str | None]:
        """Where a site resolved to ``resolved_path`` goes: (vendor, so matched now;
        the import-bound root it is deferred under for the link stage, or None)."""
        if resolved_path is None or resolved_path.startswith(SHAPE):
            return False, None
        if self.index.is_vendor_path(resolved_path):
            return True, None
        root = import_root(resolved_path, self.import_values)
        if root and root.split(".")[0] not in STDLIB and len(self.facts.deferred) < MAX_DEFERRED:
            return False, root
        return False, None

    def emit_site(
        self, site: Site, resolved_path: str | None, node: cst.CSTNode,
        route: tuple[bool, str | None] | None = None,
    ) -> None:
        """``site`` is at ``UNPLACED``; ``node`` is where it is. ``route``: ``self.route
        (resolved_path)`` when the caller has it already."""
        if self.type_checking:
            return
        vendor, root = self.route(resolved_path) if route is None else route
        if vendor:
            hits = self.index.hits(site)
            if all(is_fallback(hit) for hit in hits) and not isinstance(site, CallSite | KeywordSite) \
                    and not self.index.is_portable_path(site.path):
                # Knowing the vendor must not cost the shape (a Gemini read on a value
                # typed ChatCompletion); a portable layer's OpenAI shape is not coupling.
                # A named shape read that way wins over a field read of the vendor's value.
                hits = self.index.hits(replace(site, resolved=False)) + \
                    self.index.hits(replace(site, path=site.text, resolved=False)) or hits
            self.facts.hits.extend(self.place(hits, node))
            return
        if root:
            placed = replace(site, span=self.span(node))
            snippet = snippet_at(self.lines, placed.span.line)
            self.facts.deferred.append(DeferredSite(placed, root, resolved_path, snippet))
        if isinstance(site, CallSite | KeywordSite) or (resolved_path or "").startswith(OPAQUE):
            return
        # Chains and comparisons also match on their shape (medium confidence): the
        # value's path, and the text as written where that differs. Not on an instance
        # of the project's own class: its fields are its own shape, however named
        # (`message.tool_calls` on a `message: Message` dataclass).
        if own_instance(resolved_path, self.own_packages, self.table.vendor_bases):
            return
        hits = self.index.hits(site)
        if isinstance(site, ChainSite) and site.path != site.text:
            hits += self.index.hits(replace(site, path=site.text))
        self.facts.hits.extend(self.place(hits, node))

    # ---------------------------------------------------------------- imports

    def visit_Import(self, node: cst.Import) -> None:
        modules = [dotted_name(a.name) or "" for a in node.names]
        self._record_import(node, modules, [(m, ()) for m in modules])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = absolute_module(node, self.package)
        if isinstance(node.names, cst.ImportStar):
            names: tuple[str, ...] = ()
        else:
            names = tuple(
                a.name.value if isinstance(a.name, cst.Name) else dotted_name(a.name) or ""
                for a in node.names
            )
        modules = [base, *(f"{base}.{n}" if base else n for n in names)]
        self._record_import(node, modules, [(base, names)])

    def _record_import(
        self,
        node: cst.Import | cst.ImportFrom,
        modules: list[str],
        refs: list[tuple[str, tuple[str, ...]]],
    ) -> None:
        span = self.span(node)
        for module, names in refs:
            if module:
                self.facts.imports.append(
                    ImportRef(module, span.line, names, bool(self.type_checking))
                )
        for local, value in import_bindings(node, self.package):
            self.table.bind(local, value)
            self.import_values.add(value)
            if self.index.is_vendor_path(value):
                self.vendor_names.add(local)
        self.facts.hits.extend(self.index.hits(ImportFact(tuple(modules), span)))

    def runtime_import(self, node: cst.BaseExpression) -> str | None:
        """``importlib.import_module("litellm")``: the module it imports (``bindings``)."""
        # Most calls have no literal first argument: no need to resolve their callee.
        if type(node) is not cst.Call or not node.args or \
                type(node.args[0].value) is not cst.SimpleString:  # type: ignore[attr-defined]
            return None
        return runtime_import(node, self.table.resolve_binding(node.func))  # type: ignore[attr-defined]

    def _record_runtime_import(self, node: cst.Call, module: str) -> None:
        span = self.span(node)
        self.facts.imports.append(ImportRef(module, span.line, (), bool(self.type_checking)))
        self.import_values.add(module)
        self.facts.hits.extend(self.index.hits(ImportFact((module,), span)))

    # ---------------------------------------------------------------- typing blocks

    def visit_If(self, node: cst.If) -> None:
        test = dotted_name(node.test)
        if test in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            self.type_checking_blocks.add(id(node.body))
        else:
            self.narrow_if(node)

    # The body of `if TYPE_CHECKING:` is an indented block or a one-line suite.
    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self.type_checking_blocks:
            self.type_checking += 1
        self.enter_narrowed(node)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        if id(original_node) in self.type_checking_blocks:
            self.type_checking -= 1
        self.leave_narrowed(original_node)

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock

    # ---------------------------------------------------------------- scopes

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(self._is_settings_base(base.value) for base in node.bases):
            self.settings_classes.add(f"{self.module}.{node.name.value}")
            self._settings_fields(node)
        self.classes.append(node.name.value)
        self.scopes.append(True)
        self.table.push()

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()
        self.scopes.pop()
        self.table.pop()
        if not self.table.stack:
            return
        path = f"{self.module}.{original_node.name.value}"
        self.table.bind(original_node.name.value, path)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.table.stack:  # nested def or method: bind its name where it is defined
            self.table.bind(node.name.value, function_binding(node, self.table, self.module))
        in_class = self.classes[-1] if self.scopes and self.scopes[-1] else None
        function = self.enter_function(node, in_class)
        self.scopes.append(False)
        self.table.push()
        for position, param in enumerate(function.params):
            ann = param.annotation.annotation if param.annotation else None
            if position == 0 and function.bound and ann is None:
                self.table.bind(param.name.value, f"{self.module}.{in_class}()")
            elif position == 0 and in_class is None and ann is None and \
                    param.name.value == "self" and (owner := self.attached_to(node)):
                self.table.bind(param.name.value, owner)
            else:
                self.table.bind(param.name.value, self.table.instance_of(ann)
                                or parameter_value(param.name.value, function.key))

    def attached_to(self, node: cst.FunctionDef) -> str | None:
        """``@Agent.add_method def search(self, ...)``: a function a decorator of a class
        of this module attaches to it is its method; the instance its ``self`` is."""
        for decorator in node.decorators:
            if isinstance(decorator.decorator, cst.Attribute):
                owner = self.table.resolve(decorator.decorator.value)
                if owner and f"{owner}()" in self.table.class_attrs:
                    return f"{owner}()"
        return None

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.table.pop()
        self.scopes.pop()
        self.leave_function()

    # ---------------------------------------------------------------- calls and chains

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("extend", "append"):
            self.history_parts.update(id(arg.value) for arg in node.args)
        self.track_call(node)
        self._visit_chain(node)
        if type(node.func) is cst.Name and node.func.value in ("hasattr", "isinstance"):
            if node.func.value == "hasattr":
                self.hasattr_read(node)
            else:
                self.type_check(node)
        for arg in node.args:  # `retry(completion, ...)`: a vendor function handed over
            if type(arg.value) is cst.Name and arg.value.value in self.vendor_names:
                self.reference(self.table.resolve(arg.value), arg.value)
        func = self.table.resolve_binding(node.func)
        module = runtime_import(node, func)
        # Vendor modules only: files importing one this way always pass the prefilter,
        # so the graph does not depend on whether a file was read in full.
        if module is not None and self.index.is_vendor_path(module):
            self._record_runtime_import(node, module)
        if func in PARTIAL and node.args and node.args[0].keyword is None:
            self.partial(node)
        if isinstance(func, str):
            if func in ENV_CALLS and node.args:
                self.env_strings[id(node.args[0].value)] = node
                self.env_constant(node.args[0].value, node)
            # A call site is used only when its callee is a vendor's or is deferred;
            # most calls are neither, and building the site (keyword tokens, endpoint
            # facts) would be wasted on them.
            route = self.route(func)
            if route != (False, None) and not self.type_checking:
                before = len(self.facts.hits)
                site = self.call_site(func, node)
                self.emit_site(site, func, node, route)
                self.client_env_since(node, before)
                self.spread_options(site.path, func, node, route)
                if len(self.facts.hits) == before and func.endswith("Param"):
                    self._dict_call(node)  # SDK `*Param` types are TypedDicts: a dict
            elif route == (False, None):
                self.wait_if_local(func, node)
                self.record_arguments(func, node)
        elif isinstance(func, Factory):
            self.record_arguments(func.function, node)
        elif func is None and dotted_name(node.func) == "dict" and self.table.lookup("dict") is None:
            self._dict_call(node)

    def call_site(self, func: str, node: cst.Call) -> CallSite:
        keywords = tuple(
            (arg.keyword.value, literal_tokens(arg.value))
            for arg in node.args
            if arg.keyword is not None
        )
        # The callee, plus what the call's own value carries: a literal service
        # argument (`boto3.client(bedrock-runtime)`) or a host vendor tag.
        literal, vendor = self.table.call_facts(func, node)
        path = func + (f"({literal})" if literal else "") + (f"@{vendor}" if vendor else "")
        return CallSite(path, dotted_name(node.func) or chain_text(node.func), keywords, UNPLACED)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._visit_chain(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self.table.resolve(node.value) == "os.environ" and len(node.slice) == 1:
            element = node.slice[0].slice
            if isinstance(element, cst.Index):
                self.env_strings[id(element.value)] = node
                self.env_constant(element.value, node)
        self._visit_chain(node)

    def _visit_chain(self, node: cst.BaseExpression) -> None:
        """Emit one ``ChainSite`` for the outermost node of an attribute/subscript chain."""
        if id(node) in self.inner_chains:
            return
        current: cst.BaseExpression = node
        has_segment = False
        while (inner := chain_inner(current)) is not None:
            if type(current) is cst.Call:
                read = value_call(current)  # `x.get("k")`, `getattr(x, "k")`: a segment
                has_segment = has_segment or bool(read and read[1])
                self.inner_chains.add(id(current.func))
            else:
                has_segment = has_segment or isinstance(current, cst.Attribute | cst.Subscript)
            self.inner_chains.add(id(inner))
            current = inner
        if not has_segment or not isinstance(current, cst.Name):
            return
        resolved = self.table.resolve(node)
        called = called_name(node)
        if called and resolved and not ends_with_call(resolved, called):
            # `helper()` stands for what `helper` returns, but reads none of it here.
            resolved = None
        site = self.chain_site_of(resolved, chain_text(node))
        self.emit_site(site, resolved, node)
        self.wait_if_local(resolved, node, site, called)
        if type(node) is cst.Attribute:
            self.reference(resolved, node)

    def chain_site_of(self, resolved: str | None, text: str) -> ChainSite:
        """A chain's site. One whose value is known but not a vendor's is matched on that
        value's path, which shows more than the text (``msg.tool_calls`` after ``msg =
        resp.choices[0].message`` reads ``resp.choices[].message.tool_calls``)."""
        if resolved and self.index.is_vendor_path(resolved):
            return ChainSite(resolved, text, True, UNPLACED)
        return ChainSite(shape_path(resolved) if resolved else text, text, False, UNPLACED)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        operators = cst.Equal | cst.NotEqual | cst.In | cst.NotIn | cst.Is | cst.IsNot
        if not isinstance(target.operator, operators) or self.key_probe(node):
            return
        left, right = node.left, target.comparator
        values = string_values(right)
        chain = left
        if not values:
            values, chain = string_values(left), right
        if not values or not isinstance(chain, cst.Attribute | cst.Subscript):
            return
        resolved = self.table.resolve(chain)
        text = chain_text(chain)
        is_vendor = bool(resolved and self.index.is_vendor_path(resolved))
        site = CompareSite(
            resolved if is_vendor else text, is_vendor, values, text, UNPLACED
        )
        self.emit_site(site, resolved, node)
        if not is_vendor:
            self.wait_if_local(resolved, node, site)


__all__ = ["UNPLACED", "PythonFacts", "extract"]
