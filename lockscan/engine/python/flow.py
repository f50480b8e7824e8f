"""Value flow in one file, mixed into the extractor (``extract._Extractor``): what names
are bound to (assignments, loops, ``with``), vendor methods used as values, and what each
function and property returns.

A vendor value travels as its symbolic path (``lockscan.engine.python.symbols``). A value
whose root is unknown travels as its shape (``~resp.choices[].message``), so a field read
on it later is matched on the whole chain. A function that returns a value gets a
summary (``ask -> factory:openai.OpenAI().chat.completions.create()``): calls after its
definition resolve through its binding; sites met before it (a method calling a later
one, ``self.client`` where ``client`` is a property defined below) wait in ``pending``
and are rewritten through the summaries when the walk ends (``finish``). The summaries
of module-level functions, methods and properties are exported, so the link stage can
resolve callers in other modules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import libcst as cst

from lockscan.engine.python.bindings import import_root
from lockscan.engine.python.literal_sites import UNPLACED
from lockscan.engine.python.literals import literal_tokens, string_value
from lockscan.engine.python.symbols import (
    OPAQUE,
    SHAPE,
    Binding,
    Factory,
    Scope,
    SymbolTable,
    chain_text,
    dotted_name,
    parameter_root,
    parameter_value,
    shape_of,
)
from lockscan.engine.summaries import FACTORY, rewrite
from lockscan.model import AssignFact, CallSite, ChainSite, Site
from lockscan.ruleset.index import RuleIndex
from lockscan.ruleset.matchers import Hit

PARTIAL = frozenset({"functools.partial", "functools.partialmethod"})
# What a vendor method named but not called reports (see ``ValueFlow.reference``).
REFERENCE_KINDS = frozenset({"call", "vendor_feature"})
# Decorators whose method is read as an attribute: ``self.client`` is what it returns.
PROPERTIES = frozenset({"property", "cached_property", "abstractproperty"})
MAX_RETURNS = 4  # values kept per function; the first vendor one is its summary
MAX_PENDING = 20000  # per file


MISSING = object()


def isinstance_types(node: cst.Call) -> list[cst.BaseExpression]:
    """The classes ``isinstance(x, T)`` / ``isinstance(x, (T, U))`` tests against."""
    if len(node.args) != 2:
        return []
    types = node.args[1].value
    if isinstance(types, cst.Tuple):
        return [element.value for element in types.elements]
    return [types]


@dataclass(frozen=True, slots=True)
class Pending:
    """A site whose path starts at one of this file's functions, instances or
    properties; ``finish`` rewrites ``path`` through the summaries. ``site`` is None for
    a call (built only if it resolves); ``reference`` marks a method named, not called."""

    path: str
    node: cst.CSTNode
    site: Site | None = None
    reference: bool = False


@dataclass(frozen=True, slots=True)
class Function:
    """Where a function's summary goes: its key (``app.bot.Bot().ask``), the name it is
    bound to and in which scope (``None``: a method, bound in its class), whether it is
    a property, and whether an annotation already says what it returns."""

    key: str
    name: str
    instance: str | None
    is_property: bool
    annotated: bool
    params: tuple[cst.Param, ...] = ()  # positional then keyword-only, as declared
    bound: bool = False  # a method called on an instance: its first parameter is `self`


class ValueFlow:
    """Handlers and helpers; the extractor provides the state below."""

    table: SymbolTable
    index: RuleIndex
    module: str
    type_checking: int
    history_parts: set[int]
    import_values: set[str]

    def init_flow(self) -> None:
        self.store_targets: set[int] = set()  # attributes assigned or deleted, not read
        self.functions: list[Function] = []  # the enclosing defs, innermost last
        self.returns: dict[str, list[str]] = {}  # function key -> values it returns
        self.property_keys: set[str] = set()
        self.signatures: dict[str, Function] = {}  # function key -> its first definition
        self.calls: list[tuple[str, tuple[tuple[int | str, str], ...]]] = []  # to local functions
        self.pending: list[Pending] = []
        self.local_prefix = f"{self.module}."
        self.narrowing: dict[int, tuple[str, str]] = {}  # if-body -> (name, its type)
        self.restore: dict[int, tuple[Scope, str, object]] = {}

    # Provided by the extractor.
    def add_hits(self, hits: list[Hit], node: cst.CSTNode) -> None:  # pragma: no cover
        raise NotImplementedError

    def emit_site(self, site: Site, resolved_path: str | None, node: cst.CSTNode,
                  route: tuple[bool, str | None] | None = None) -> None:  # pragma: no cover
        raise NotImplementedError

    def route(self, resolved_path: str | None) -> tuple[bool, str | None]:  # pragma: no cover
        raise NotImplementedError

    def call_site(self, func: str, node: cst.Call) -> CallSite:  # pragma: no cover
        raise NotImplementedError

    def chain_site_of(self, resolved: str | None, text: str) -> ChainSite:  # pragma: no cover
        raise NotImplementedError

    # ---------------------------------------------------------------- bindings

    def value_of(self, node: cst.BaseExpression) -> Binding | None:
        """What a name bound to ``node`` stands for: its symbolic value, else its shape."""
        value = self.table.resolve_binding(node)
        return shape_of(node) if value is None else value

    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = self.value_of(original_node.value)
        for target in original_node.targets:
            self.bind_target(target.target, value, original_node.value)
            if isinstance(target.target, cst.Name):
                self.table.bind_expression(target.target.value, original_node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        value = self.value_of(original_node.value) if original_node.value else None
        if value is None or (isinstance(value, str) and value.startswith(SHAPE)):
            value = self.table.instance_of(original_node.annotation.annotation) or value
        self.bind_target(original_node.target, value)

    def leave_NamedExpr(self, original_node: cst.NamedExpr) -> None:
        self.bind_target(original_node.target, self.value_of(original_node.value))

    def bind_target(self, target: cst.BaseExpression, value: Binding | None,
                    value_node: cst.BaseExpression | None = None) -> None:
        if isinstance(target, cst.Name):
            self.table.bind(target.value, value)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self.bind_target(element.value, None)
        elif isinstance(target, cst.Attribute) and not self.type_checking:
            base = self.table.resolve(target.value)
            if base and not base.startswith(SHAPE):
                path = f"{base}.{target.attr.value}"
                tokens = literal_tokens(value_node) if value_node is not None else ""
                fact = AssignFact(path, chain_text(target), tokens, UNPLACED)
                self.add_hits(self.index.hits(fact), target)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                self.bind_target(item.asname.name, self.value_of(item.item))

    def visit_For(self, node: cst.For) -> None:
        self._bind_loop(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_loop(node.target, node.iter)

    def _bind_loop(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        if (
            isinstance(iterable, cst.Call)
            and dotted_name(iterable.func) == "enumerate"
            and iterable.args
            and isinstance(target, cst.Tuple)
            and len(target.elements) == 2
        ):
            self.bind_target(target.elements[0].value, None)
            target, iterable = target.elements[1].value, iterable.args[0].value
        item = self.table.resolve(iterable) or shape_of(iterable)
        self.bind_target(target, f"{item}[]" if item else None)

    # ---------------------------------------------------------------- references

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.store_targets.add(id(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.store_targets.add(id(node.target))
        self.history_parts.add(id(node.value))

    def visit_Del(self, node: cst.Del) -> None:
        self.store_targets.add(id(node.target))

    def reference(self, path: str | None, node: cst.CSTNode,
                  keywords: tuple[tuple[str, str], ...] = ()) -> None:
        """A vendor method used as a value, not called here: ``create =
        client.messages.create``, ``retry(client.embeddings.create)``, ``partial(...)``.
        It is the call it will make (its call and feature rules; a class named in
        ``isinstance`` is no client)."""
        if path is None or self.type_checking or id(node) in self.store_targets:
            return
        if not self.index.is_vendor_path(path):
            if self.is_open(path):
                self.wait(Pending(path, node, None, True))
            return
        site = CallSite(path, chain_text(node), keywords, UNPLACED)  # type: ignore[arg-type]
        self.add_hits([hit for hit in self.index.hits(site) if hit.rule.kind in REFERENCE_KINDS],
                      node)

    def partial(self, node: cst.Call) -> None:
        """``functools.partial(client.chat.completions.create, model=...)``: the vendor
        call with the keywords bound here."""
        target = node.args[0].value
        path = self.table.resolve(target)
        if path is None or not self.index.is_vendor_path(path):
            return
        self.store_targets.add(id(target))  # reported here, with the keywords
        keywords = tuple((arg.keyword.value, literal_tokens(arg.value))
                         for arg in node.args if arg.keyword is not None)
        self.reference(path, node, keywords)

    def hasattr_read(self, node: cst.Call) -> None:
        """``hasattr(resp, "choices")`` reads the shape ``resp.choices``."""
        if len(node.args) != 2 or node.args[0].keyword or node.args[1].keyword:
            return
        key = string_value(node.args[1].value)
        if not key or not key.isidentifier():
            return
        base = node.args[0].value
        resolved = self.table.resolve(base)
        path = f"{resolved}.{key}" if resolved else None
        self.emit_site(self.chain_site_of(path, f"{chain_text(base)}.{key}"), path, node)

    # ---------------------------------------------------------------- type checks

    def type_check(self, node: cst.Call) -> None:
        """``isinstance(resp, anthropic.types.Message)`` reads a vendor response type."""
        types = isinstance_types(node)
        for written in types:
            path = self.table.resolve(written)
            if path and self.index.is_vendor_path(path):
                site = ChainSite(path, chain_text(written), True, UNPLACED)
                self.add_hits(self.index.hits(site), node)

    def narrow_if(self, node: cst.If) -> None:
        """In the body of ``if isinstance(x, T):``, ``x`` is a ``T``."""
        narrowed = self._narrowed(node.test)
        if narrowed is not None:
            self.narrowing[id(node.body)] = narrowed

    def visit_Assert(self, node: cst.Assert) -> None:
        narrowed = self._narrowed(node.test)  # `assert isinstance(x, T)`: from here on
        if narrowed is not None:
            self.table.bind(*narrowed)

    def _narrowed(self, test: cst.BaseExpression) -> tuple[str, str] | None:
        if type(test) is not cst.Call or dotted_name(test.func) != "isinstance":
            return None
        subject = test.args[0].value if test.args else None
        if type(subject) is not cst.Name:
            return None
        for written in isinstance_types(test):
            path = self.table.resolve(written)
            if path and not path.startswith(SHAPE):
                # Another library's class: its fields are not a vendor's shape.
                known = path if self.index.is_vendor_path(path) else OPAQUE + path
                return subject.value, f"{known}()"  # type: ignore[attr-defined]
        return None

    def enter_narrowed(self, block: cst.CSTNode) -> None:
        narrowed = self.narrowing.get(id(block))
        if narrowed is not None:
            name, value = narrowed
            scope = self.table.stack[-1] if self.table.stack else self.table.module_scope
            self.restore[id(block)] = (scope, name, scope.names.get(name, MISSING))
            scope.names[name] = value

    def leave_narrowed(self, block: cst.CSTNode) -> None:
        saved = self.restore.pop(id(block), None)
        if saved is not None:
            scope, name, previous = saved
            if previous is MISSING:
                scope.names.pop(name, None)
            else:
                scope.names[name] = previous  # type: ignore[assignment]

    # ---------------------------------------------------------------- functions

    def enter_function(self, node: cst.FunctionDef, in_class: str | None) -> Function:
        """``in_class``: the class whose body the def is directly in, if any."""
        name = node.name.value
        decorators = {(dotted_name(d.decorator) or "").rsplit(".", 1)[-1] for d in node.decorators}
        instance = f"{self.module}.{in_class}()" if in_class else None
        key = f"{instance}.{name}" if instance else f"{self.module}.{name}"
        is_property = bool(decorators & PROPERTIES) and instance is not None
        if is_property:
            self.property_keys.add(key)
        params = (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        bound = instance is not None and not decorators & {"staticmethod", "classmethod"}
        function = Function(key, name, instance, is_property, node.returns is not None, params,
                            bound)
        self.functions.append(function)
        self.signatures.setdefault(key, function)
        return function

    def leave_function(self) -> None:
        """Bind the function's summary where it is defined, so later calls resolve."""
        function = self.functions.pop()
        value = self.summary(function)
        if value is None or function.annotated:
            return
        binding: Binding = value if function.is_property else Factory(value, function.key)
        if function.instance is None:
            self.table.bind(function.name, binding)
        else:
            self.table.class_attrs.setdefault(function.instance, {})[function.name] = binding

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._returns(self.table.resolve(node.value))

    def visit_Yield(self, node: cst.Yield) -> None:
        """A generator of ``X[]`` items stands for ``X`` (``for c in gen():`` reads chunks)."""
        if isinstance(node.value, cst.From):
            self._returns(self.table.resolve(node.value.item))
        elif node.value is not None:
            value = self.table.resolve(node.value)
            if value and value.endswith("[]"):
                self._returns(value[:-2])

    def _returns(self, value: str | None) -> None:
        function = self.functions[-1] if self.functions else None
        if function is None or not value or value.startswith(SHAPE):
            return
        if self.index.is_vendor_path(value) or value.startswith(self.local_prefix) or \
                import_root(value, self.import_values):
            found = self.returns.setdefault(function.key, [])
            if len(found) < MAX_RETURNS:
                found.append(value)

    def summary(self, function: Function) -> str | None:
        """What a function returns: its first vendor value, else the first one known."""
        found = self.returns.get(function.key)
        if not found:
            return None
        return next((v for v in found if self.index.is_vendor_path(v)), found[0])

    def summary_table(self) -> dict[str, str]:
        """Every function's and property's summary, keyed like the export table
        (``module.name``, ``module.Class().name``)."""
        table: dict[str, str] = {}
        for key, found in self.returns.items():
            value = next((v for v in found if self.index.is_vendor_path(v)), found[0])
            table[key] = value if key in self.property_keys else FACTORY + value
        return table

    # ---------------------------------------------------------------- pending sites

    def wait(self, pending: Pending) -> None:
        if len(self.pending) < MAX_PENDING and not self.type_checking:
            self.pending.append(pending)

    def is_open(self, path: str) -> bool:
        """Whether ``path`` may still resolve when the file is done: it starts at one of
        this file's calls or instances (``self.client...``, ``helper().choices``) or at a
        parameter."""
        if path.startswith(SHAPE):
            return parameter_root(path) is not None
        return "(" in path and path.startswith(self.local_prefix)

    def wait_if_local(self, resolved: str | None, node: cst.CSTNode,
                      site: Site | None = None) -> None:
        """Keep a site whose value may resolve when the file is done."""
        if resolved and self.is_open(resolved):
            self.wait(Pending(resolved, node, site))

    def record_arguments(self, func: str, node: cst.Call) -> None:
        """What a call to one of this file's functions passes: vendor objects, and values
        that may become one (``self._parse(response)``, ``Agent(OpenAI())``)."""
        if not func.startswith(self.local_prefix) or self.type_checking:
            return
        passed = []
        for position, arg in enumerate(node.args):
            if arg.star:
                break
            value = self.table.resolve(arg.value)
            if value and (self._resolvable(value) or self.is_open(value)):
                passed.append((arg.keyword.value if arg.keyword else position, value))
        if passed and len(self.calls) < MAX_PENDING:
            self.calls.append((func, tuple(passed)))

    def parameter_values(self) -> dict[str, list[str]]:
        """Each parameter (``~resp#1a2b``) with what call sites pass to it, parameters
        passed on to others followed a few steps."""
        values: dict[str, list[str]] = {}
        for func, passed in self.calls:
            function = self.signatures.get(func) or self.signatures.get(f"{func}().__init__")
            if function is None:
                continue
            params = function.params[1:] if function.bound else function.params
            names = [p.name.value for p in params]
            for where, value in passed:
                name = names[where] if isinstance(where, int) and where < len(names) else where
                if isinstance(name, str) and name in names:
                    found = values.setdefault(parameter_value(name, function.key), [])
                    if value not in found and len(found) < MAX_RETURNS:
                        found.append(value)
        for _ in range(3):  # `def a(resp): b(resp)`: b's parameter gets what a's gets
            for found in values.values():
                found[:] = list(dict.fromkeys(v for value in found
                                              for v in self.substitute(value, values)))
        return values

    def substitute(self, path: str, values: dict[str, list[str]]) -> list[str]:
        """``path`` with its parameter root replaced by each value passed to it."""
        root = parameter_root(path)
        if root is None or root not in values:
            return [path]
        return [value + path[len(root):] for value in values[root]][:MAX_RETURNS]

    def finish(self) -> list[tuple[str, str]]:
        """Rewrite the pending sites through the summaries and what call sites pass to
        parameters. Returns the exports the summaries add: functions, methods and
        properties (``ask``, ``Bot().ask``) and instance attributes (``Bot().client``)
        whose value is a vendor's or import-bound."""
        table = self.summary_table()
        values = self.parameter_values() if self.calls else {}
        for pending in self.pending if table or values else ():
            for start in self.substitute(pending.path, values):
                path = rewrite(start, table, self._resolvable)
                if path is not None:
                    self._resolved(pending, path)
        exports = []
        start = len(self.local_prefix)
        for key, value in table.items():
            factory = value.startswith(FACTORY)
            path = rewrite(value[len(FACTORY):] if factory else value, table, self._resolvable)
            if path is not None:
                exports.append((key[start:], FACTORY + path if factory else path))
        for instance, attrs in self.table.class_attrs.items():
            for name, binding in attrs.items():
                key = f"{instance}.{name}"
                if isinstance(binding, str) and key not in table and self._resolvable(binding):
                    exports.append((key[start:], binding))
        return exports

    def _resolved(self, pending: Pending, path: str) -> None:
        if pending.reference:
            self.reference(path, pending.node)
        elif pending.site is None:
            self.emit_site(self.call_site(path, pending.node), path,  # type: ignore[arg-type]
                           pending.node)
        elif self.index.is_vendor_path(path):
            self.emit_site(replace(pending.site, path=path, resolved=True), path, pending.node)
        else:  # import-bound: the link stage matches it once the import resolves
            self.emit_site(pending.site, path, pending.node)

    def _resolvable(self, path: str) -> bool:
        return self.index.is_vendor_path(path) or bool(import_root(path, self.import_values))


__all__ = ["Pending", "ValueFlow"]
