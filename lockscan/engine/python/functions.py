"""What this file's functions return and are given, and the sites that wait for it.
Mixed into the extractor through ``flow.ValueFlow``.

A function that returns a value gets a summary (``ask -> factory:openai.OpenAI().chat.
completions.create()``); a parameter nothing is known about stands for ``~name#<tag>``,
and the file's calls to its own functions, methods and constructors record what they
pass. Calls after a definition resolve through its binding; sites met before it, or
rooted in a parameter, wait in ``pending`` and are rewritten when the walk ends
(``finish``): parameters with what they are given, calls with what they return. The
summaries of module-level functions, methods and properties are exported, so the link
stage can resolve callers in other modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import libcst as cst

from lockscan.engine.python.bindings import PROPERTY_DECORATORS, decorator_names, import_root
from lockscan.engine.python.symbols import (
    SHAPE,
    Binding,
    Factory,
    SymbolTable,
    parameter_root,
    parameter_value,
    value_call,
)
from lockscan.engine.summaries import FACTORY, MAX_HOPS, ends_with_call, rewrite, rewrite_once
from lockscan.model import CallSite, Site
from lockscan.ruleset.index import RuleIndex

MAX_RETURNS = 4  # values kept per function or parameter; the best vendor one is a summary
_CARRIES = re.compile(r"\([\w-]+\)|@\w")  # a call's literal service argument or a host tag
MAX_PENDING = 20000  # per file


@dataclass(frozen=True, slots=True)
class Pending:
    """A site whose path starts at one of this file's functions, instances or
    properties; ``finish`` rewrites ``path`` through the summaries. ``site`` is None for
    a call (built only if it resolves); ``reference`` marks a method named, not called."""

    path: str
    node: cst.CSTNode
    site: Site | None = None
    reference: bool = False
    called: str | None = None  # a chain ending in a call: the method's name


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




def called_name(node: cst.BaseExpression) -> str | None:
    """The name a chain ending in a plain call calls (``helper`` in ``x.helper(...)``)."""
    if type(node) is not cst.Call or value_call(node) is not None:  # type: ignore[arg-type]
        return None
    func = node.func  # type: ignore[attr-defined]
    if type(func) is cst.Attribute:
        return func.attr.value  # type: ignore[attr-defined]
    return func.value if type(func) is cst.Name else None  # type: ignore[attr-defined]


class FunctionFlow:
    """Handlers and helpers; the extractor provides the state below."""

    table: SymbolTable
    index: RuleIndex
    module: str
    type_checking: int
    import_values: set[str]

    def init_functions(self) -> None:
        self.functions: list[Function] = []  # the enclosing defs, innermost last
        self.returns: dict[str, list[str]] = {}  # function key -> values it returns
        # function key -> what each position of the tuple it returns holds, where known
        self.tuple_returns: dict[str, list[str | None]] = {}
        self.property_keys: set[str] = set()
        self.signatures: dict[str, Function] = {}  # function key -> its first definition
        self.calls: list[tuple[str, tuple[tuple[int | str, str], ...]]] = []  # to local functions
        self.pending: list[Pending] = []
        self.local_prefix = f"{self.module}."

    # Provided by the extractor and ``flow.ValueFlow``.
    def emit_site(self, site: Site, resolved_path: str | None, node: cst.CSTNode,
                  route: tuple[bool, str | None] | None = None) -> None:  # pragma: no cover
        raise NotImplementedError

    def call_site(self, func: str, node: cst.Call) -> CallSite:  # pragma: no cover
        raise NotImplementedError

    def reference(self, path: str | None, node: cst.CSTNode,
                  keywords: tuple[tuple[str, str], ...] = ()) -> None:  # pragma: no cover
        raise NotImplementedError

    # ---------------------------------------------------------------- functions

    def enter_function(self, node: cst.FunctionDef, in_class: str | None) -> Function:
        """``in_class``: the class whose body the def is directly in, if any."""
        name = node.name.value
        decorators = decorator_names(node)
        instance = f"{self.module}.{in_class}()" if in_class else None
        key = f"{instance}.{name}" if instance else f"{self.module}.{name}"
        is_property = bool(decorators & PROPERTY_DECORATORS) and instance is not None
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
        # An annotation names a type (`-> AwsClient`, `boto3.client()`); a return that says
        # which service or host the client is for knows more, and wins over it.
        if value is None or (function.annotated and not _CARRIES.search(value)):
            return
        binding: Binding = value if function.is_property else Factory(value, function.key)
        if function.instance is None:
            self.table.bind(function.name, binding)
        else:
            self.table.class_attrs.setdefault(function.instance, {})[function.name] = binding

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._returns(self.table.resolve(node.value))
        if type(node.value) is cst.Tuple and self.functions:
            self._tuple_returns(self.functions[-1].key, node.value)

    def _tuple_returns(self, key: str, value: cst.Tuple) -> None:
        """``return response, elapsed``: what each position holds, for ``reply, t = f()``
        (the first known value of a position wins)."""
        if any(type(e) is cst.StarredElement for e in value.elements):
            return
        known = self.tuple_returns.setdefault(key, [None] * len(value.elements))
        if len(known) != len(value.elements):
            return
        for position, element in enumerate(value.elements):
            found = self.table.resolve(element.value)
            if known[position] is None and found and \
                    (self.is_open(found) or self._resolvable(found)):
                known[position] = found

    def unpacked(self, targets: cst.BaseExpression, value: cst.BaseExpression
                 ) -> list[str | None] | None:
        """What ``a, b = f()`` binds, when ``f`` is this file's function returning a tuple
        of as many values."""
        if type(value) is not cst.Call or not isinstance(targets, cst.Tuple | cst.List):
            return None
        func = self.table.resolve_binding(value.func)
        key = func.function if isinstance(func, Factory) else func
        known = self.tuple_returns.get(key) if isinstance(key, str) else None
        return known if known is not None and len(known) == len(targets.elements) else None

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
        if function is None or not value or (value.startswith(SHAPE)
                                             and parameter_root(value) is None):
            return
        if self.is_open(value) or self._resolvable(value):
            found = self.returns.setdefault(function.key, [])
            if len(found) < MAX_RETURNS:
                found.append(value)

    def summary(self, function: Function) -> str | None:
        """What a function returns: ``best_return`` of the values it returns."""
        found = self.returns.get(function.key)
        return self.best_return(found) if found else None

    def best_return(self, found: list[str]) -> str:
        """The first vendor value that says which service or host its client is for
        (``boto3.client(bedrock-runtime)``, not the bare ``boto3.client()`` an annotation
        gives ``self.client``), else the first vendor value, else the first one known."""
        vendor = [v for v in found if self.index.is_vendor_path(v)]
        return next((v for v in vendor if _CARRIES.search(v)), vendor[0] if vendor else found[0])

    def summary_table(self) -> dict[str, str]:
        """Every function's and property's summary, keyed like the export table
        (``module.name``, ``module.Class().name``)."""
        table: dict[str, str] = {}
        for key, found in self.returns.items():
            value = self.best_return(found)
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
                      site: Site | None = None, called: str | None = None) -> None:
        """Keep a site whose value may resolve when the file is done. A parameter called
        as it is (``fn(*args)`` in a retry helper) is not: the call is reported where the
        vendor method is handed over. ``called``: the chain ends with a call of that name."""
        if resolved and self.is_open(resolved) and resolved != parameter_root(resolved):
            self.wait(Pending(resolved, node, site, called=called))

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
            for path in self._resolutions(pending.path, table, values):
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

    def _resolutions(self, path: str, table: dict[str, str],
                     values: dict[str, list[str]]) -> list[str]:
        """The vendor (or import-bound) paths ``path`` becomes, rewritten a step at a time
        through what parameters are given and what functions return."""
        found: list[str] = []
        frontier = [path]
        for _ in range(MAX_HOPS):
            following = []
            for current in frontier:
                if self._resolvable(current):
                    found.append(current)
                    continue
                passed = self.substitute(current, values)
                if passed != [current]:
                    following.extend(passed)
                elif (rewritten := rewrite_once(current, table)) not in (None, current):
                    following.append(rewritten)  # type: ignore[arg-type]
            frontier = following[:MAX_RETURNS]
            if not frontier:
                break
        return found

    def _resolved(self, pending: Pending, path: str) -> None:
        if pending.called and not ends_with_call(path, pending.called):
            return  # a helper's result: what it reads, it reads where it is defined
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


__all__ = ["FunctionFlow", "Pending", "called_name", "ends_with_call"]
