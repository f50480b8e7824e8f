"""Value flow in one file, mixed into the extractor (``extract._Extractor``): what names
are bound to (assignments, loops, ``with``), ``isinstance`` narrowing, and vendor methods
used as values. What functions return and are given is ``functions.FunctionFlow``.

A vendor value travels as its symbolic path (``lockscan.engine.python.symbols``). A value
whose root is unknown travels as its shape (``~resp.choices[].message``), so a field read
on it later is matched on the whole chain; one known to be another library's object
(``!``, after ``isinstance``) is matched on nothing.
"""

from __future__ import annotations

import libcst as cst

from lockscan.engine.python.functions import FunctionFlow, Pending
from lockscan.engine.python.literal_sites import UNPLACED
from lockscan.engine.python.literals import literal_tokens, string_value
from lockscan.engine.python.symbols import (
    OPAQUE,
    SHAPE,
    Binding,
    Scope,
    chain_text,
    dotted_name,
    shape_of,
)
from lockscan.model import AssignFact, CallSite, ChainSite
from lockscan.ruleset.matchers import Hit

PARTIAL = frozenset({"functools.partial", "functools.partialmethod"})
REGISTRY = "{}"  # marks a dict literal of vendor objects (``ValueFlow._registry``)
# What a vendor method named but not called reports (see ``ValueFlow.reference``).
REFERENCE_KINDS = frozenset({"call", "vendor_feature"})
# Decorators whose method is read as an attribute: ``self.client`` is what it returns.

MISSING = object()


def isinstance_types(node: cst.Call) -> list[cst.BaseExpression]:
    """The classes ``isinstance(x, T)`` / ``isinstance(x, (T, U))`` tests against."""
    if len(node.args) != 2:
        return []
    types = node.args[1].value
    if isinstance(types, cst.Tuple):
        return [element.value for element in types.elements]
    return [types]


class ValueFlow(FunctionFlow):
    """Handlers and helpers; the extractor provides the state below."""

    history_parts: set[int]

    def init_flow(self) -> None:
        self.init_functions()
        self.store_targets: set[int] = set()  # attributes assigned or deleted, not read
        self.narrowing: dict[int, tuple[str, str]] = {}  # if-body -> (name, its type)
        self.restore: dict[int, tuple[Scope, str, object]] = {}

    # Provided by the extractor.
    def add_hits(self, hits: list[Hit], node: cst.CSTNode) -> None:  # pragma: no cover
        raise NotImplementedError

    def chain_site_of(self, resolved: str | None, text: str) -> ChainSite:  # pragma: no cover
        raise NotImplementedError

    def runtime_import(self, node: cst.BaseExpression) -> str | None:  # pragma: no cover
        raise NotImplementedError

    # ---------------------------------------------------------------- bindings

    def value_of(self, node: cst.BaseExpression) -> Binding | None:
        """What a name bound to ``node`` stands for: its symbolic value, else its shape."""
        module = self.runtime_import(node)
        if module is not None:  # `litellm = importlib.import_module("litellm")`
            return module
        if type(node) is cst.BooleanOperation or type(node) is cst.IfExp:
            return self._either(node)
        value = self.table.resolve_binding(node)
        if value is None or (isinstance(value, str) and not self.index.is_vendor_path(value)):
            value = self._called_through(node) or value
        if value is None:
            value = self._items_of(node) or shape_of(node)
        return value

    def _either(self, node: cst.BooleanOperation | cst.IfExp) -> Binding | None:
        """``parts or []``, ``resp.content if resp else []``: the value of the side that
        has one (a vendor value first)."""
        if type(node) is cst.IfExp:
            sides = (node.body, node.orelse)  # type: ignore[union-attr]
        elif type(node.operator) is cst.Or:  # type: ignore[union-attr]
            sides = (node.left, node.right)  # type: ignore[union-attr]
        else:  # `a and b` is `b` when it is used
            sides = (node.right,)  # type: ignore[union-attr]
        values = [value for side in sides if (value := self.value_of(side)) is not None]
        return next((v for v in values if isinstance(v, str) and self.index.is_vendor_path(v)),
                    values[0] if values else None)

    def _called_through(self, node: cst.BaseExpression) -> str | None:
        """``retryer(client.chat.completions.create, **kw)``, ``asyncio.to_thread(...)``,
        ``run_in_executor(None, fn)``: a helper given a vendor method returns what the
        method returns."""
        if type(node) is cst.Await:
            node = node.expression  # type: ignore[attr-defined]
        if type(node) is not cst.Call:
            return None
        for arg in node.args:  # type: ignore[attr-defined]
            if arg.keyword is not None or arg.star:
                break
            path = self.table.resolve(arg.value)
            if path and self.index.is_vendor_path(path) and self.is_vendor_method(path):
                return f"{path}()"
        return None

    def is_vendor_method(self, path: str) -> bool:
        """Whether calling ``path`` would be a vendor call (a call rule matches it)."""
        site = CallSite(path, "", (), UNPLACED)
        return any(hit.rule.kind == "call" for hit in self.index.hits(site))

    def _items_of(self, node: cst.BaseExpression) -> str | None:
        """``[b for b in resp.content if ...]`` is ``resp.content`` (filtered), and
        ``next(b for b in resp.content ...)`` one of its items."""
        item = False
        if type(node) is cst.Call and dotted_name(node.func) == "next" and node.args:  # type: ignore[attr-defined]
            node, item = node.args[0].value, True  # type: ignore[attr-defined]
            if type(node) is cst.Call and dotted_name(node.func) == "iter" and node.args:  # type: ignore[attr-defined]
                value = self._string_value(node.args[0].value)  # type: ignore[attr-defined]
                return f"{value}[]" if value else None
        if not isinstance(node, cst.ListComp | cst.GeneratorExp | cst.SetComp):
            return None
        loop = node.for_in
        if loop.inner_for_in is not None or not isinstance(node.elt, cst.Name) or \
                not isinstance(loop.target, cst.Name) or node.elt.value != loop.target.value:
            return None
        value = self._string_value(loop.iter)
        return (f"{value}[]" if item else value) if value else None

    def _string_value(self, node: cst.BaseExpression) -> str | None:
        value = self.value_of(node)
        return value if isinstance(value, str) else None

    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = self.value_of(original_node.value)
        if value is None and type(original_node.value) is cst.Dict and \
                len(original_node.targets) == 1 and type(original_node.targets[0].target) is cst.Name:
            value = self._registry(original_node.targets[0].target.value, original_node.value)
        if type(original_node.value) is cst.Name:  # `self.client = completion`
            self.reference(value if isinstance(value, str) else None, original_node.value)
        for target in original_node.targets:
            unpacked = self.unpacked(target.target, original_node.value)
            if unpacked is not None:  # `reply, elapsed = timed_call()`: as many as returned
                elements = target.target.elements  # type: ignore[attr-defined]
                for element, known in zip(elements, unpacked, strict=True):
                    self.bind_target(element.value, known)
                continue
            self.bind_target(target.target, value, original_node.value)
            if isinstance(target.target, cst.Name):
                self.table.bind_expression(target.target.value, original_node.value)

    def _registry(self, name: str, node: cst.Dict) -> str | None:
        """``CLIENTS = {"openai": OpenAI(), ...}``: a dict literal holding vendor objects
        under literal keys stands for a container whose entries ``CLIENTS["openai"]`` and
        ``CLIENTS.get("openai")`` are those objects (the table's ``class_attrs``)."""
        entries = {}
        for element in node.elements:
            if type(element) is not cst.DictElement:
                continue
            key = string_value(element.key)
            value = self.value_of(element.value)
            if isinstance(key, str) and isinstance(value, str) and self.index.is_vendor_path(value):
                entries[key] = value
        if not entries:
            return None
        path = f"{self.module}.{name}{REGISTRY}"
        self.table.class_attrs[path] = entries
        return path

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

    def _comprehension(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp
                       ) -> None:
        """The element is read after its loop binds its names, though it is written (and
        walked) first: ``[c.name for c, i in zip(calls, ids)]`` reads the loop's ``c``."""
        loop: cst.CompFor | None = node.for_in
        while loop is not None:
            self._bind_loop(loop.target, loop.iter)
            loop = loop.inner_for_in

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

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
        item = self._string_value(iterable)
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
        """``isinstance(resp, anthropic.types.Message)`` reads a vendor response type: a
        rule naming the type reports it, else it is a read of the instance's class
        (``Message().__class__``) for the vendor's ``results`` rule."""
        types = isinstance_types(node)
        for written in types:
            path = self.table.resolve(written)
            if path and self.index.is_vendor_path(path):
                site = ChainSite(path, chain_text(written), True, UNPLACED)
                hits = self.index.hits(site)
                if not hits:
                    text = f"isinstance({chain_text(node.args[0].value)}, {chain_text(written)})"
                    hits = self.index.hits(ChainSite(f"{path}().__class__", text, True, UNPLACED))
                self.add_hits(hits, node)

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

    def key_probe(self, node: cst.Comparison) -> bool:
        """``"toolUse" in block`` on a vendor's value reads that key as ``block["toolUse"]``
        would (a Bedrock stream event, a content block): emitted as that read. Whether the
        comparison was one."""
        target = node.comparisons[0]
        key = string_value(node.left)
        if key is None or not isinstance(target.operator, cst.In | cst.NotIn):
            return False
        element = cst.SubscriptElement(cst.Index(cst.SimpleString(repr(key))))
        probe = cst.Subscript(target.comparator, [element])
        resolved = self.table.resolve(probe)
        if not (resolved and self.index.is_vendor_path(resolved)):
            return False
        self.emit_site(self.chain_site_of(resolved, chain_text(probe)), resolved, node)
        return True

    def leave_narrowed(self, block: cst.CSTNode) -> None:
        saved = self.restore.pop(id(block), None)
        if saved is not None:
            scope, name, previous = saved
            if previous is MISSING:
                scope.names.pop(name, None)
            else:
                scope.names[name] = previous  # type: ignore[assignment]


__all__ = ["PARTIAL", "ValueFlow", "isinstance_types"]
