"""The literal half of the Python walk: dict literals (and ``dict(...)`` calls), the
lists they end, and string literals, each handed to the rule index as a fact. Mixed
into the extractor (``extract._Extractor``), whose state it reads."""

from __future__ import annotations

import libcst as cst

from lockscan.engine.python.literals import dict_keys, safe_evaluated, string_value
from lockscan.model import DictFact, Span, StringFact
from lockscan.ruleset.index import RuleIndex
from lockscan.ruleset.matchers import Hit

# Sites and facts are matched before their span is known: most match no rule, and a
# span is only computed (``_Extractor.place``) for those that do or are deferred.
UNPLACED = Span(0, 0, 0, 0)


class LiteralSites:
    """``visit_<Type>`` handlers for literals; the extractor provides the state below."""

    index: RuleIndex
    file_kind: str
    type_checking: int
    history_parts: set[int]
    list_tails: dict[int, frozenset[str]]
    skip_strings: set[int]
    env_strings: dict[int, cst.CSTNode]

    def add_hits(self, hits: list[Hit], node: cst.CSTNode) -> None:  # pragma: no cover
        raise NotImplementedError

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.history_parts.add(id(node.value))
        self._skip_exported_names(node.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._skip_exported_names(node.target, node.value)

    def _skip_exported_names(self, target: cst.BaseExpression,
                             value: cst.BaseExpression | None) -> None:
        """``__all__ = ["TOGETHER_MODEL", ...]`` lists the module's own names, never data
        (an env var, a model id): its strings are no literals to match."""
        if type(target) is cst.Name and target.value == "__all__" and \
                isinstance(value, cst.List | cst.Tuple):
            self.skip_strings.update(id(element.value) for element in value.elements)

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
            common = frozenset.intersection(*(dict_keys(d) or frozenset() for d in dicts))
            self.list_tails[id(dicts[-1])] = common

    def visit_Dict(self, node: cst.Dict) -> None:
        keys: set[str] = set()
        values: list[tuple[str, str]] = []
        nested: list[tuple[str, frozenset[str]]] = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
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

    def visit_Assign(self, node: cst.Assign) -> None:
        # `params["reasoning_effort"] = effort` writes one entry of a request dict built
        # step by step (later sent as `**params`): the same key as in a dict literal.
        for target in node.targets:
            self._skip_exported_names(target.target, node.value)
            subscript = target.target
            if not isinstance(subscript, cst.Subscript) or len(subscript.slice) != 1:
                continue
            index = subscript.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is None:
                continue
            values: list[tuple[str, str]] = []
            nested: list[tuple[str, frozenset[str]]] = []
            self._record_entry(key, node.value, values, nested)
            self._emit_dict(subscript, {key}, values, nested)

    def _record_entry(
        self,
        key: str,
        value: cst.BaseExpression,
        values: list[tuple[str, str]],
        nested: list[tuple[str, frozenset[str]]],
    ) -> None:
        literal = string_value(value)
        if literal is not None:
            values.append((key, literal))
        inner = dict_keys(value)
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
        self.add_hits(self.index.hits(fact), node)

    def visit_Expr(self, node: cst.Expr) -> None:
        # A bare string statement is a docstring or a comment-like note, never coupling.
        if isinstance(node.value, cst.SimpleString | cst.ConcatenatedString |
                      cst.FormattedString):
            self.skip_strings.add(id(node.value))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        if id(node) in self.skip_strings:
            return False
        value = safe_evaluated(node)
        if value is not None:
            self._emit_string(node, value)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) in self.skip_strings:
            return
        value = safe_evaluated(node)
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
        read = self.env_strings.get(id(node))
        fact = StringFact(value, UNPLACED, read is not None, self.file_kind)
        self.add_hits(self.index.hits(fact), read or node)
