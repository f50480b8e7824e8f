"""Request options that reach a call without being written as its keywords, mixed into
the extractor (``extract._Extractor``).

A request is often built as a dict and spread into the call::

    params = {"model": m, "encoding_format": "float"}
    params["seed"] = 42
    client.embeddings.create(**params)

Each entry of a dict bound to a plain name is remembered per function (dict literals,
``dict(...)``, ``d["k"] = v``, ``d["k"]["j"] = v``, ``d.update(...)``,
``d.setdefault("k", v)``, copies, a comprehension filtering ``d.items()``, and what a
function of the same file returns), and ``self.<attr>`` dicts per class; when
a call spreads that dict (``**params``) or passes it as ``extra_body``, every entry
becomes a ``KeywordSite`` of the call, placed where the entry is written. Keyword rules
match it like a keyword on the call; the options a provider accepts only through
``extra_body`` (``{"thinking": ...}``) are its entries too. A helper handed the vendor
method with the dict spread (``retry(client.chat.completions.create, **params)``) sends
it to that method. An ``extra_body`` dict that no call in the file sends (a subclass
adding to its parent's request) is still for the OpenAI SDK's call that takes it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from lockscan.engine.python.literal_sites import UNPLACED
from lockscan.engine.python.literals import literal_tokens, string_value
from lockscan.engine.python.symbols import dotted_name
from lockscan.model import KeywordSite
from lockscan.ruleset.matchers.keywords import BODY, BODY_CALL  # the OpenAI SDK's pass-through

if TYPE_CHECKING:
    from collections.abc import Callable

    from lockscan.engine.python.extract import PythonFacts
    from lockscan.engine.python.functions import Function
    from lockscan.engine.python.symbols import SymbolTable
    from lockscan.model import Site
    from lockscan.ruleset.index import RuleIndex

# (key, its value, the node the entry is written at)
Entry = tuple[str, cst.BaseExpression, cst.CSTNode]
MAX_ENTRIES = 200  # per dict: a generated table is no request
COPIES = frozenset({"copy", "deepcopy", "copy.copy", "copy.deepcopy", "dict"})


class RequestDicts:
    """Handlers and helpers; the extractor provides the state below."""

    table: SymbolTable
    index: RuleIndex
    facts: PythonFacts
    module: str
    functions: list[Function]
    classes: list[str]

    # Provided by ``flow.ValueFlow`` and the extractor (annotations only: this class
    # comes first in the extractor's bases, so a stub here would hide them).
    is_vendor_method: Callable[[str], bool]
    emit_site: Callable[[Site, str | None, cst.CSTNode, tuple[bool, str | None]], None]

    def init_request_dicts(self) -> None:
        self.request_dicts: dict[tuple[str, str], list[Entry]] = {}  # (scope, name) -> entries
        self.returned_dicts: dict[str, list[Entry]] = {}  # function key -> its dict's entries
        self.spread_hits: set[int] = set()  # ids of the hits ``spread_options`` added
        self.spread_where: set[int] = set()  # ids of the entries they were placed at
        self.body_entries: list[Entry] = []  # entries written into an `extra_body` dict

    def finish(self) -> list[tuple[str, str]]:
        """Also keeps at most one hit of a kind and vendor per line for the spread options:
        none where another rule's hit already starts there (``{"enable_thinking": True}``
        is a dict rule's finding already), one for a line of several options and for a
        dict spread into two calls."""
        self._unsent_bodies()
        exports: list[tuple[str, str]] = super().finish()  # type: ignore[misc]
        if not self.spread_hits:
            return exports
        hits = self.facts.hits
        taken = {(h.rule.kind, h.vendor or h.rule.vendor, h.span.line)
                 for h in hits if id(h) not in self.spread_hits}
        kept = []
        for hit in hits:
            if id(hit) in self.spread_hits:
                place = (hit.rule.kind, hit.vendor or hit.rule.vendor, hit.span.line)
                if place in taken:
                    continue
                taken.add(place)
            kept.append(hit)
        self.facts.hits = kept
        return exports

    def _unsent_bodies(self) -> None:
        """An ``extra_body`` dict built here and sent by a call this file cannot see (a
        subclass filling in its parent's request): its entries are options of the OpenAI
        SDK call that takes ``extra_body``, at medium confidence."""
        for key, value, where in self.body_entries:
            if id(where) in self.spread_where or key == BODY:
                continue
            self.spread_where.add(id(where))
            before = len(self.facts.hits)
            site = KeywordSite(BODY_CALL, key, literal_tokens(value), UNPLACED)
            self.emit_site(site, BODY_CALL, where, (True, None))
            added = [replace(hit, confidence="medium") for hit in self.facts.hits[before:]]
            self.facts.hits[before:] = added
            self.spread_hits.update(id(hit) for hit in added)

    def _scope(self) -> str:
        return self.functions[-1].key if self.functions else self.module

    def _key(self, node: cst.BaseExpression) -> tuple[str, str] | None:
        """Where a dict bound to ``node`` is remembered: a name in its function, or
        ``self.<attr>`` in its class (built in ``__init__``, spread in another method)."""
        if isinstance(node, cst.Name):
            return self._scope(), node.value
        if (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
                and node.value.value == "self" and self.classes):
            return f"{self.module}.{self.classes[-1]}()", node.attr.value
        return None

    def _entries(self, node: cst.BaseExpression) -> list[Entry] | None:
        key = self._key(node)
        return self.request_dicts.get(key) if key is not None else None

    # ---------------------------------------------------------------- handlers

    def visit_Assign(self, node: cst.Assign) -> None:
        self.track_assign([t.target for t in node.targets], node.value, node)
        super().visit_Assign(node)  # type: ignore[misc]

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.track_assign([node.target], node.value, node)

    def visit_Return(self, node: cst.Return) -> None:
        self.track_return(node.value)
        super().visit_Return(node)  # type: ignore[misc]

    # ---------------------------------------------------------------- building a dict

    def dict_entries(self, value: cst.BaseExpression) -> list[Entry] | None:
        """The entries of a dict-valued expression, or None when it is no known dict."""
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(value, cst.Dict):
            entries: list[Entry] = []
            for element in value.elements:
                if isinstance(element, cst.DictElement):
                    key = string_value(element.key)
                    if key is not None:
                        entries.append((key, element.value, element))
                elif isinstance(element, cst.StarredDictElement):
                    entries += self.dict_entries(element.value) or []
            return entries
        if isinstance(value, cst.Name | cst.Attribute):
            known = self._entries(value)
            return list(known) if known is not None else None
        if isinstance(value, cst.Call):
            return self._call_entries(value)
        if isinstance(value, cst.DictComp):  # `{k: v for k, v in params.items() if v}`
            source = value.for_in.iter
            if (isinstance(source, cst.Call) and isinstance(source.func, cst.Attribute)
                    and source.func.attr.value == "items" and value.for_in.inner_for_in is None):
                return self.dict_entries(source.func.value)
            return None
        if isinstance(value, cst.BooleanOperation):  # `params.get("extra_body") or {}`
            sides = [self.dict_entries(side) for side in (value.left, value.right)]
            known = [entry for side in sides if side is not None for entry in side]
            return known if any(side is not None for side in sides) else None
        return None

    def _call_entries(self, call: cst.Call) -> list[Entry] | None:
        func = dotted_name(call.func)
        if func == "dict":
            entries: list[Entry] = []
            for arg in call.args:
                if arg.keyword is not None:
                    entries.append((arg.keyword.value, arg.value, arg))
                else:
                    entries += self.dict_entries(arg.value) or []
            return entries
        if func in COPIES and call.args:
            return self.dict_entries(call.args[0].value)
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "copy" \
                and not call.args:
            return self.dict_entries(call.func.value)
        returned = self.returned_dicts.get(self._function_key(call.func) or "")
        return list(returned) if returned is not None else None

    def _function_key(self, func: cst.BaseExpression) -> str | None:
        """The key of the function of this file that ``func`` names, if any."""
        if isinstance(func, cst.Name):
            return f"{self.module}.{func.value}"
        if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
                and func.value.value in ("self", "cls") and self.classes):
            return f"{self.module}.{self.classes[-1]}().{func.attr.value}"
        return None

    def track_assign(self, targets: list[cst.BaseExpression], value: cst.BaseExpression,
                     statement: cst.CSTNode) -> None:
        """``name = <dict>`` (re)binds a dict; ``name["k"] = v`` and ``name["k"]["j"] = v``
        write its entry ``k``; any other value bound to the name forgets it."""
        for target in targets:
            bound = self._key(target)
            if bound is not None:
                entries = self.dict_entries(value)
                if entries is None:
                    self.request_dicts.pop(bound, None)
                else:
                    self.request_dicts[bound] = entries[:MAX_ENTRIES]
                    if bound[1] == BODY:  # `extra_body = {...}`
                        self.body_entries += entries
                continue
            written = _written_entry(target)
            bound = self._key(written[0]) if written is not None else None
            if written is None or bound is None:
                continue
            keys = written[1]
            found = self.request_dicts.setdefault(bound, [])
            if len(found) >= MAX_ENTRIES:
                continue
            if keys[0] == BODY and len(keys) > 1:  # `params["extra_body"]["k"] = v`
                found.append((keys[1], value, statement))
                self.body_entries.append(found[-1])
                continue
            found.append((keys[0], value, statement))
            if bound[1] == BODY:  # `extra_body["k"] = v`
                self.body_entries.append(found[-1])
            if keys[0] == BODY and len(keys) == 1:  # `params["extra_body"] = {...}`
                inner = self.dict_entries(value) or []
                found += inner
                self.body_entries += inner

    def track_call(self, call: cst.Call) -> None:
        """``d.update({...})`` / ``d.update(k=v, **other)`` / ``d.setdefault("k", v)``; and
        a helper handed a vendor method with the request spread
        (``retry(client.chat.completions.create, **params)``): that call's options."""
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("update", "setdefault"):
            if any(arg.star == "**" for arg in call.args):
                self._helper_options(call)
            return
        method = func.attr.value
        bound = self._key(func.value)
        # A dict of unknown origin (a parameter, a helper's result) gets its entries here.
        found = self.request_dicts.setdefault(bound, []) if bound is not None else None
        if found is None or len(found) >= MAX_ENTRIES:
            return
        before = len(found)
        if method == "setdefault":
            key = string_value(call.args[0].value) if len(call.args) == 2 else None
            if key is not None:
                found.append((key, call.args[1].value, call))
        else:
            for arg in call.args:
                if arg.keyword is not None:
                    found.append((arg.keyword.value, arg.value, arg))
                else:
                    found += self.dict_entries(arg.value) or []
        if bound is not None and bound[1] == BODY:  # `extra_body.setdefault("thinking", ...)`
            self.body_entries += found[before:]

    def track_return(self, value: cst.BaseExpression | None) -> None:
        """A function returning a known dict: a call of it in this file gives those entries."""
        if value is None or not self.functions:
            return
        entries = self.dict_entries(value)
        if entries:
            self.returned_dicts.setdefault(self.functions[-1].key, []).extend(entries)

    def _helper_options(self, call: cst.Call) -> None:
        for arg in call.args:
            if arg.keyword is not None or arg.star:
                return
            path = self.table.resolve(arg.value)
            if path and self.index.is_vendor_path(path) and self.is_vendor_method(path):
                self.spread_options(path, path, call, (True, None), only_spread=True)
                return

    # ---------------------------------------------------------------- the call

    def spread_options(self, path: str, func: str, call: cst.Call,
                       route: tuple[bool, str | None], only_spread: bool = False) -> None:
        """Each option the vendor call ``call`` (site path ``path``) gets from a spread dict
        or from ``extra_body`` becomes a ``KeywordSite``."""
        entries: list[Entry] = []
        for arg in call.args:
            body = arg.keyword is not None and arg.keyword.value == BODY and not only_spread
            if arg.star == "**" or body:
                entries += self.dict_entries(arg.value) or []
        seen: set[int] = set()
        while entries:
            key, value, where = entries.pop(0)
            if id(where) in seen:
                continue
            seen.add(id(where))
            if key == BODY:  # `**{"extra_body": {...}}`: the body's own entries
                entries += self.dict_entries(value) or []
                continue
            self.spread_where.add(id(where))
            before = len(self.facts.hits)
            site = KeywordSite(path, key, literal_tokens(value), UNPLACED)
            self.emit_site(site, func, where, route)
            self.spread_hits.update(id(hit) for hit in self.facts.hits[before:])


def _written_entry(target: cst.BaseExpression) -> tuple[cst.BaseExpression, list[str]] | None:
    """``d["k"]`` -> (d, ["k"]); ``d["k"]["j"]`` -> (d, ["k", "j"]): the literal keys
    from the outermost in, up to the first one that is not a literal."""
    if not isinstance(target, cst.Subscript):
        return None
    keys: list[str | None] = []
    current: cst.BaseExpression = target
    while isinstance(current, cst.Subscript):
        index = current.slice[0].slice if len(current.slice) == 1 else None
        keys.append(string_value(index.value) if isinstance(index, cst.Index) else None)
        current = current.value
    keys.reverse()
    if keys[0] is None:
        return None
    literal: list[str] = []
    for key in keys:
        if key is None:
            break
        literal.append(key)
    return current, literal
