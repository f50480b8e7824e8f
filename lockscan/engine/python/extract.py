"""Analyze one Python file with LibCST: extract facts, match rules, return ``FileFacts``.

Two passes over one parse. The first binds module-level names (imports, assignments,
factory functions, class attributes) so that use before definition still resolves;
the second walks everything in source order with function scopes, emitting call
sites, attribute chains, comparisons, dict and string literals for ``lockscan.ruleset.index``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst import CSTNode as _CSTNode

from lockscan.engine.findings import snippet_at
from lockscan.engine.python.endpoints import endpoints_for
from lockscan.engine.python.positions import Positions
from lockscan.engine.python.symbols import (
    Factory,
    SymbolTable,
    chain_inner,
    chain_text,
    dotted_name,
    literal_value,
    string_key,
)
from lockscan.engine.python.walk import children, preorder, walk
from lockscan.model import (
    CallSite,
    ChainSite,
    CompareSite,
    DeferredSite,
    ImportRef,
    Site,
    Span,
)
from lockscan.ruleset.index import (
    DictFact,
    Hit,
    RuleIndex,
    StringFact,
    match_assign,
    match_dict,
    match_env_name,
    match_import,
    match_site,
    match_string,
)

STDLIB = frozenset(sys.stdlib_module_names)
# Sites and facts are matched before their span is known: most match no rule, and a
# span is only computed (``_Extractor.place``) for those that do or are deferred.
UNPLACED = Span(0, 0, 0, 0)
MAX_DEFERRED = 5000  # per file; keeps cached facts small on huge generated files
MAX_TOKENS = 64  # literal tokens kept per keyword value
# Bases whose annotated fields are read from the environment (pydantic-settings v2,
# pydantic v1): field `openai_api_key` reads OPENAI_API_KEY (case-insensitive).
SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic_settings.main.BaseSettings",
                            "pydantic.BaseSettings", "pydantic.v1.BaseSettings"})
ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop",
                       "os.putenv"})


@dataclass
class PythonFacts:
    """What one file yields before paths and snippets are attached."""

    imports: list[ImportRef] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    deferred: list[DeferredSite] = field(default_factory=list)
    exports: list[tuple[str, str]] = field(default_factory=list)


def module_package(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def absolute_module(node: cst.ImportFrom, package: str) -> str:
    """The absolute module of ``from ... import``, resolving leading dots against ``package``."""
    written = dotted_name(node.module) if node.module is not None else ""
    dots = len(node.relative)
    if not dots:
        return written or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (dots - 1)] if dots - 1 <= len(parts) else []
    return ".".join([*base, written] if written else base)


def extract(
    tree: cst.Module,
    module: str,
    is_package: bool,
    index: RuleIndex,
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
    table = SymbolTable(module=module, transparent=index.rules.transparent_attributes,
                        endpoints=endpoints_for(index.rules))
    package = module_package(module, is_package)
    _bind_module(tree, table, module, package)
    extractor = _Extractor(table, positions, index, module, package, lines, file_kind)
    walk(tree, extractor)
    facts = extractor.facts
    facts.exports = _exports(table, index, extractor.import_values)
    return facts


# --------------------------------------------------------------------------- pass 1


def _bind_module(tree: cst.Module, table: SymbolTable, module: str, package: str) -> None:
    for statement in _module_statements(tree.body):
        _bind_statement(statement, table, module, package)


def _module_statements(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Top-level statements, looking inside if/try/with blocks but not defs."""
    for node in body:
        if isinstance(node, cst.SimpleStatementLine):
            yield from node.body
        elif isinstance(node, cst.If | cst.Try | cst.With | cst.TryStar):
            yield from _module_statements(_blocks_of(node))
        else:
            yield node


def _blocks_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    for child in children(node):
        if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            out.extend(child.body)
        elif isinstance(child, cst.If | cst.Else | cst.ExceptHandler | cst.Finally |
                        cst.ExceptStarHandler):
            out.extend(_blocks_of(child))
    return out


def _bind_statement(node: cst.CSTNode, table: SymbolTable, module: str, package: str) -> None:
    if isinstance(node, cst.Import | cst.ImportFrom):
        for name, value in _import_bindings(node, package):
            table.bind(name, value)
    elif isinstance(node, cst.Assign):
        value = table.resolve_binding(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                table.bind(target.target.value, value)
                table.bind_expression(target.target.value, node.value)
    elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
        value = table.resolve_binding(node.value) if node.value else None
        table.bind(node.target.value, value or table.instance_of(node.annotation.annotation))
    elif isinstance(node, cst.FunctionDef):
        table.bind(node.name.value, _function_binding(node, table, module))
    elif isinstance(node, cst.ClassDef):
        class_path = f"{module}.{node.name.value}"
        table.bind(node.name.value, class_path)
        table.class_attrs[f"{class_path}()"] = _class_attributes(node, table, class_path)


def _function_binding(node: cst.FunctionDef, table: SymbolTable, module: str) -> Factory | str:
    returns = table.instance_of(node.returns.annotation) if node.returns else None
    return Factory(returns) if returns else f"{module}.{node.name.value}"


def _import_bindings(node: cst.Import | cst.ImportFrom, package: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname and isinstance(alias.asname.name, cst.Name):
                pairs.append((alias.asname.name.value, full))
            else:
                top = full.split(".")[0]
                pairs.append((top, top))
        return pairs
    if isinstance(node.names, cst.ImportStar):
        return pairs
    base = absolute_module(node, package)
    for alias in node.names:
        name = alias.name.value if isinstance(alias.name, cst.Name) else dotted_name(alias.name)
        if not name:
            continue
        local = (
            alias.asname.name.value
            if alias.asname and isinstance(alias.asname.name, cst.Name)
            else name
        )
        pairs.append((local, f"{base}.{name}" if base else name))
    return pairs


def _class_attributes(
    node: cst.ClassDef, table: SymbolTable, class_path: str
) -> dict[str, Factory | str]:
    """``self.x = ...`` in any method and annotated class fields, resolved at module level."""
    attrs: dict[str, Factory | str] = {}
    instance = f"{class_path}()"
    for statement in _module_statements(node.body.body):
        if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
            value = table.resolve(statement.value) if statement.value else None
            value = value or table.instance_of(statement.annotation.annotation)
            if value:
                attrs[statement.target.value] = value
        elif isinstance(statement, cst.FunctionDef):
            returns = (
                table.instance_of(statement.returns.annotation) if statement.returns else None
            )
            if returns:
                attrs[statement.name.value] = Factory(returns)
            attrs.update(_self_assignments(statement, table, instance))
    return attrs


def _self_assignments(
    method: cst.FunctionDef, table: SymbolTable, instance: str
) -> dict[str, str]:
    params = method.params.params
    if not params:
        return {}
    self_name = params[0].name.value
    table.push()
    table.bind(self_name, None)
    for param in params[1:]:
        ann = param.annotation.annotation if param.annotation else None
        table.bind(param.name.value, table.instance_of(ann))
    found: dict[str, str] = {}
    for assign in _walk_assignments(method.body):
        value = table.resolve(assign.value) if assign.value else None
        if isinstance(assign, cst.AnnAssign):
            targets = [assign.target]
            value = value or table.instance_of(assign.annotation.annotation)
        else:
            targets = [t.target for t in assign.targets]
        for target in targets:
            if (
                isinstance(target, cst.Attribute)
                and isinstance(target.value, cst.Name)
                and target.value.value == self_name
                and value
            ):
                found[target.attr.value] = value
            elif isinstance(target, cst.Name):
                table.bind(target.value, value)
    table.pop()
    return found


def _walk_assignments(node: cst.CSTNode) -> Iterator[cst.Assign | cst.AnnAssign]:
    """Assignments under ``node`` in source order, not inside nested defs or lambdas."""
    for child in preorder(node, _is_new_scope):
        if isinstance(child, cst.Assign | cst.AnnAssign):
            yield child


def _is_new_scope(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.FunctionDef | cst.ClassDef | cst.Lambda)


def _exports(
    table: SymbolTable, index: RuleIndex, import_values: set[str]
) -> list[tuple[str, str]]:
    """Module-level names other files can import and that stand for vendor objects
    (or for names imported from elsewhere, so re-exports chain)."""
    out = []
    for name, value in table.module_scope.names.items():
        text = value.returns if isinstance(value, Factory) else value
        if not text:
            continue
        if index.is_vendor_path(text) or _import_root(text, import_values):
            out.append((name, f"factory:{text}" if isinstance(value, Factory) else text))
    return sorted(out)


def _import_root(path: str, import_values: set[str]) -> str | None:
    """The longest import-bound name that ``path`` starts with (``app.llm.client``)."""
    best = None
    cut = 0
    while True:
        cut = _next_boundary(path, cut)
        prefix = path[:cut]
        if prefix in import_values:
            best = prefix
        if cut >= len(path):
            return best


def _next_boundary(path: str, start: int) -> int:
    for i in range(start + 1, len(path)):
        if path[i] in ".([":
            return i
    return len(path)


# --------------------------------------------------------------------------- pass 2


class _Extractor:
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
        self.env_strings: set[int] = set()
        self.list_tails: dict[int, frozenset[str]] = {}
        self.history_parts: set[int] = set()
        self.settings_classes: set[str] = set()

    # ---------------------------------------------------------------- helpers

    def span(self, node: cst.CSTNode) -> Span:
        return self.positions.span(node)

    def place(self, hits: list[Hit], node: cst.CSTNode) -> list[Hit]:
        """Hits matched at ``UNPLACED``, moved to where ``node`` is."""
        if not hits:
            return hits
        span = self.span(node)
        return [replace(hit, span=span) for hit in hits]

    def add_hits(self, hits: list[Hit], node: cst.CSTNode) -> None:
        if hits and not self.type_checking:
            self.facts.hits.extend(self.place(hits, node))

    def route(self, resolved_path: str | None) -> tuple[bool, str | None]:
        """Where a site resolved to ``resolved_path`` goes: (vendor, so matched now;
        the import-bound root it is deferred under for the link stage, or None)."""
        if resolved_path is not None and self.index.is_vendor_path(resolved_path):
            return True, None
        root = _import_root(resolved_path, self.import_values) if resolved_path else None
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
            self.facts.hits.extend(self.place(match_site(self.index, site), node))
            return
        if root:
            placed = replace(site, span=self.span(node))
            snippet = snippet_at(self.lines, placed.span.line)
            self.facts.deferred.append(DeferredSite(placed, root, resolved_path, snippet))
        if not isinstance(site, CallSite):
            # Chains and comparisons also match on their written shape (medium confidence).
            self.facts.hits.extend(self.place(match_site(self.index, site), node))

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
        for local, value in _import_bindings(node, self.package):
            self.table.bind(local, value)
            self.import_values.add(value)
        self.facts.hits.extend(match_import(self.index, modules, span, ""))

    # ---------------------------------------------------------------- typing blocks

    def visit_If(self, node: cst.If) -> None:
        test = dotted_name(node.test)
        if test in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            self.type_checking_blocks.add(id(node.body))

    # The body of `if TYPE_CHECKING:` is an indented block or a one-line suite.
    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if id(node) in self.type_checking_blocks:
            self.type_checking += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        if id(original_node) in self.type_checking_blocks:
            self.type_checking -= 1

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock

    # ---------------------------------------------------------------- scopes

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(self._is_settings_base(base.value) for base in node.bases):
            self.settings_classes.add(f"{self.module}.{node.name.value}")
            self._settings_fields(node)
        self.classes.append(node.name.value)
        self.table.push()

    def _is_settings_base(self, base: cst.BaseExpression) -> bool:
        path = self.table.resolve(base)
        return path in SETTINGS_BASES or path in self.settings_classes

    def _settings_fields(self, node: cst.ClassDef) -> None:
        """Each annotated field of a settings class reads ``<env_prefix><FIELD>``."""
        body = [s for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
                for s in line.body]
        prefix = _env_prefix(node)
        for statement in body:
            if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
                name = f"{prefix}{statement.target.value}".upper()
                self.add_hits(match_env_name(self.index, name, UNPLACED), statement.target)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()
        self.table.pop()
        if not self.table.stack:
            return
        path = f"{self.module}.{original_node.name.value}"
        self.table.bind(original_node.name.value, path)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.table.stack:  # nested def or method: bind its name where it is defined
            self.table.bind(node.name.value, _function_binding(node, self.table, self.module))
        self.table.push()
        params = list(node.params.posonly_params) + list(node.params.params)
        is_method = bool(self.classes) and not any(
            dotted_name(d.decorator) == "staticmethod" for d in node.decorators
        )
        for position, param in enumerate(
            [*params, *node.params.kwonly_params]
        ):
            ann = param.annotation.annotation if param.annotation else None
            if position == 0 and is_method and ann is None:
                self.table.bind(param.name.value, f"{self.module}.{self.classes[-1]}()")
            else:
                self.table.bind(param.name.value, self.table.instance_of(ann))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.table.pop()

    # ---------------------------------------------------------------- bindings

    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = self.table.resolve_binding(original_node.value)
        for target in original_node.targets:
            self._bind_target(target.target, value, original_node.value)
            if isinstance(target.target, cst.Name):
                self.table.bind_expression(target.target.value, original_node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        value = (
            self.table.resolve_binding(original_node.value) if original_node.value else None
        )
        value = value or self.table.instance_of(original_node.annotation.annotation)
        self._bind_target(original_node.target, value)

    def leave_NamedExpr(self, original_node: cst.NamedExpr) -> None:
        self._bind_target(original_node.target, self.table.resolve_binding(original_node.value))

    def _bind_target(
        self, target: cst.BaseExpression, value: object,
        value_node: cst.BaseExpression | None = None,
    ) -> None:
        if isinstance(target, cst.Name):
            self.table.bind(target.value, value)  # type: ignore[arg-type]
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._bind_target(element.value, None)
        elif isinstance(target, cst.Attribute) and not self.type_checking:
            base = self.table.resolve(target.value)
            if base:
                path = f"{base}.{target.attr.value}"
                tokens = _literal_tokens(value_node) if value_node is not None else ""
                self.add_hits(match_assign(self.index, path, UNPLACED, chain_text(target),
                                           tokens), target)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                self._bind_target(item.asname.name, self.table.resolve_binding(item.item))

    def visit_For(self, node: cst.For) -> None:
        self._bind_loop(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_loop(node.target, node.iter)

    def _bind_loop(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        item = self.table.resolve(iterable)
        if (
            isinstance(iterable, cst.Call)
            and dotted_name(iterable.func) == "enumerate"
            and iterable.args
            and isinstance(target, cst.Tuple)
            and len(target.elements) == 2
        ):
            inner = self.table.resolve(iterable.args[0].value)
            self._bind_target(target.elements[0].value, None)
            self._bind_target(target.elements[1].value, f"{inner}[]" if inner else None)
            return
        self._bind_target(target, f"{item}[]" if item else None)

    # ---------------------------------------------------------------- calls and chains

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("extend", "append"):
            self.history_parts.update(id(arg.value) for arg in node.args)
        self._visit_chain(node)
        func = self.table.resolve_binding(node.func)
        if isinstance(func, str):
            if func in ENV_CALLS and node.args:
                self.env_strings.add(id(node.args[0].value))
            # A call site is used only when its callee is a vendor's or is deferred;
            # most calls are neither, and building the site (keyword tokens, endpoint
            # facts) would be wasted on them.
            route = self.route(func)
            if route != (False, None) and not self.type_checking:
                self.emit_site(self._call_site(func, node), func, node, route)
        elif func is None and dotted_name(node.func) == "dict" and self.table.lookup("dict") is None:
            self._dict_call(node)

    def _call_site(self, func: str, node: cst.Call) -> CallSite:
        keywords = tuple(
            (arg.keyword.value, _literal_tokens(arg.value))
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
                self.env_strings.add(id(element.value))
        self._visit_chain(node)

    def _visit_chain(self, node: cst.BaseExpression) -> None:
        """Emit one ``ChainSite`` for the outermost node of an attribute/subscript chain."""
        if id(node) in self.inner_chains:
            return
        current: cst.BaseExpression = node
        has_segment = False
        while (inner := chain_inner(current)) is not None:
            has_segment = has_segment or isinstance(current, cst.Attribute | cst.Subscript)
            self.inner_chains.add(id(inner))
            current = inner
        if not has_segment or not isinstance(current, cst.Name):
            return
        site, resolved_path = self._chain_site(node)
        self.emit_site(site, resolved_path, node)

    def _chain_site(self, node: cst.BaseExpression) -> tuple[ChainSite, str | None]:
        resolved = self.table.resolve(node)
        text = chain_text(node)
        if resolved and self.index.is_vendor_path(resolved):
            return ChainSite(resolved, text, True, UNPLACED), resolved
        if resolved and _import_root(resolved, self.import_values):
            return ChainSite(text, text, False, UNPLACED), resolved
        return ChainSite(text, text, False, UNPLACED), None

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        if not isinstance(
            target.operator, cst.Equal | cst.NotEqual | cst.In | cst.NotIn | cst.Is | cst.IsNot
        ):
            return
        left, right = node.left, target.comparator
        values = _string_values(right)
        chain = left
        if not values:
            values, chain = _string_values(left), right
        if not values or not isinstance(chain, cst.Attribute | cst.Subscript):
            return
        resolved = self.table.resolve(chain)
        text = chain_text(chain)
        is_vendor = bool(resolved and self.index.is_vendor_path(resolved))
        site = CompareSite(
            resolved if is_vendor else text, is_vendor, values, text, UNPLACED
        )
        self.emit_site(site, resolved if resolved else None, node)

    # ---------------------------------------------------------------- literals

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.history_parts.add(id(node.value))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        self.history_parts.update((id(node.left), id(node.right)))

    def visit_List(self, node: cst.List) -> None:
        # Visited before its elements: remember what a closing dict shares with its
        # siblings, for rules about the end of a messages list. A list added to another
        # (`history += [...]`, `a + [...]`, `.extend([...])`) is a piece of history,
        # not a whole request, so its last element says nothing about the request.
        if id(node) in self.history_parts:
            return
        dicts = [e.value for e in node.elements if isinstance(e.value, cst.Dict)]
        if len(dicts) >= 2 and len(dicts) == len(node.elements):
            common = frozenset.intersection(*(_dict_keys(d) or frozenset() for d in dicts))
            self.list_tails[id(dicts[-1])] = common

    def visit_Dict(self, node: cst.Dict) -> None:
        keys: set[str] = set()
        values: list[tuple[str, str]] = []
        nested: list[tuple[str, frozenset[str]]] = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = _string_value(element.key)
            if key is None:
                continue
            keys.add(key)
            self._record_entry(key, element.value, values, nested)
        self._emit_dict(node, keys, values, nested)

    def _dict_call(self, node: cst.Call) -> None:
        keys: set[str] = set()
        values: list[tuple[str, str]] = []
        nested: list[tuple[str, frozenset[str]]] = []
        for arg in node.args:
            if arg.keyword is None:
                continue
            keys.add(arg.keyword.value)
            self._record_entry(arg.keyword.value, arg.value, values, nested)
        self._emit_dict(node, keys, values, nested)

    def _record_entry(
        self,
        key: str,
        value: cst.BaseExpression,
        values: list[tuple[str, str]],
        nested: list[tuple[str, frozenset[str]]],
    ) -> None:
        literal = _string_value(value)
        if literal is not None:
            values.append((key, literal))
        inner = _dict_keys(value)
        if inner is not None:
            nested.append((key, inner))

    def _emit_dict(
        self,
        node: cst.CSTNode,
        keys: set[str],
        values: list[tuple[str, str]],
        nested: list[tuple[str, frozenset[str]]],
    ) -> None:
        if not keys or self.type_checking:
            return
        fact = DictFact(frozenset(keys), tuple(values), tuple(nested), UNPLACED,
                        self.list_tails.get(id(node), frozenset()))
        self.add_hits(match_dict(self.index, fact), node)

    def visit_Expr(self, node: cst.Expr) -> None:
        # A bare string statement is a docstring or a comment-like note, never coupling.
        if isinstance(node.value, cst.SimpleString | cst.ConcatenatedString |
                      cst.FormattedString):
            self.skip_strings.add(id(node.value))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        if id(node) in self.skip_strings:
            return False
        value = _safe_evaluated(node)
        if value is not None:
            self._emit_string(node, value)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) in self.skip_strings:
            return
        value = _safe_evaluated(node)
        if value is not None:
            self._emit_string(node, value)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if id(node) in self.skip_strings:
            return
        text = "".join(
            part.value if isinstance(part, cst.FormattedStringText) else "{}"
            for part in node.parts
        )
        self._emit_string(node, text)

    def _emit_string(self, node: cst.CSTNode, value: str) -> None:
        if self.type_checking or not value:
            return
        fact = StringFact(value, UNPLACED, id(node) in self.env_strings)
        self.add_hits(match_string(self.index, fact, self.file_kind), node)


def _env_prefix(node: cst.ClassDef) -> str:
    """``env_prefix`` from ``model_config = SettingsConfigDict(env_prefix=...)`` or
    ``{"env_prefix": ...}`` (v2), or a nested ``class Config: env_prefix = ...`` (v1)."""
    for line in node.body.body:
        if isinstance(line, cst.ClassDef) and line.name.value == "Config":
            for inner in line.body.body:
                if isinstance(inner, cst.SimpleStatementLine):
                    for statement in inner.body:
                        if (isinstance(statement, cst.Assign) and len(statement.targets) == 1
                                and dotted_name(statement.targets[0].target) == "env_prefix"):
                            return _string_value(statement.value) or ""
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for statement in line.body:
            if isinstance(statement, cst.Assign | cst.AnnAssign) and statement.value is not None:
                targets = ([t.target for t in statement.targets]
                           if isinstance(statement, cst.Assign) else [statement.target])
                if any(dotted_name(t) == "model_config" for t in targets):
                    return _config_prefix(statement.value)
    return ""


def _config_prefix(value: cst.BaseExpression) -> str:
    if isinstance(value, cst.Call):
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "env_prefix":
                return _string_value(arg.value) or ""
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement) and _string_value(element.key) == "env_prefix":
                return _string_value(element.value) or ""
    return ""


def _safe_evaluated(node: cst.SimpleString | cst.ConcatenatedString) -> str | None:
    try:
        value = literal_value(node) if type(node) is cst.SimpleString else node.evaluated_value
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _string_value(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        return _safe_evaluated(node)
    return None


def _string_values(node: cst.BaseExpression) -> tuple[str, ...]:
    single = _string_value(node)
    if single is not None:
        return (single,)
    if isinstance(node, cst.Tuple | cst.List | cst.Set):
        found = tuple(v for e in node.elements if (v := _string_value(e.value)) is not None)
        return found if len(found) == len(node.elements) else ()
    return ()


def _dict_keys(node: cst.BaseExpression) -> frozenset[str] | None:
    if isinstance(node, cst.Dict):
        return frozenset(
            k for e in node.elements
            if isinstance(e, cst.DictElement) and (k := _string_value(e.key)) is not None
        )
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        return frozenset(a.keyword.value for a in node.args if a.keyword is not None)
    return None


def _literal_tokens(node: cst.BaseExpression) -> str:
    """Strings and names inside a keyword value, joined: enough to test its shape."""
    tokens: list[str] = []
    stack: list[cst.CSTNode] = [node]
    while stack and len(tokens) < MAX_TOKENS:
        current = stack.pop()
        if isinstance(current, cst.SimpleString):
            value = _safe_evaluated(current)
            if value is not None:
                tokens.append(value)
        elif isinstance(current, (cst.Name, cst.Integer | cst.Float)):
            tokens.append(current.value)
        else:
            stack.extend(reversed(children(current)))
    return " ".join(tokens)


def parse(text: str) -> cst.Module:
    """``libcst.parse_module(text)``, without validating each node as it is built.

    LibCST's native parser builds every node through its dataclass constructor, whose
    ``__post_init__`` runs ``_validate``: checks that a hand-built node is well formed
    (a name is not empty, whitespace is whitespace), which raise or do nothing and are
    ~13% of the parse. The parser only builds nodes from text it accepted (LibCST's
    own comment at ``CSTNode.__post_init__`` proposes skipping them when parsing), so
    they are switched off for the duration of the call. The switch is on the class,
    hence process-wide: lockscan builds no nodes on another thread meanwhile, and it
    is restored however the parse ends. ``tests/test_parse.py`` checks the trees equal
    ``libcst.parse_module``'s."""
    validate = _CSTNode.__dict__.get("__post_init__")
    if validate is None:  # a LibCST that validates elsewhere: parse as it does
        return cst.parse_module(text)
    _CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        _CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def _no_validation(self: cst.CSTNode) -> None:
    return None


__all__ = ["PythonFacts", "absolute_module", "extract", "parse", "string_key"]
