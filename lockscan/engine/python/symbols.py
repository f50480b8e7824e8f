"""Symbolic values: what a name or expression stands for, as far as one file tells.

A value is a dotted path string. ``openai.OpenAI`` is the class; ``openai.OpenAI()``
an instance; ``openai.OpenAI().chat.completions.create()`` what that call returns;
``[]`` marks an item of a subscript or loop. A ``Factory`` is a function whose
return annotation names a value, so calling it yields that value.

This is a deliberately small alias tracker (imports, assignments in source order,
``self.x`` attributes, parameter annotations, factory return types, ``with ... as``,
``for`` targets) rather than LibCST's full scope analysis, which costs ~10x the parse.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from lockscan.engine.python.endpoints import Endpoints
from lockscan.ruleset.index import SEGMENT_END

# The node classes the hot resolvers below test with ``type(node) is C`` rather than
# ``isinstance``: LibCST node classes are ABCs, so an isinstance that fails runs
# ``ABCMeta.__instancecheck__`` (each resolver tries several classes per node). Exact
# tests are equivalent because these classes have no subclasses; tests/unit/engine/test_symbols.py
# checks that against the installed LibCST.
EXACT_CLASSES = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Await)


# Annotations that say nothing about a value.
UNTYPED = frozenset({"typing.Any", "typing_extensions.Any", "object"})
CASTS = frozenset({"typing.cast", "typing_extensions.cast"})


@dataclass(frozen=True, slots=True)
class Factory:
    returns: str
    function: str = ""  # the function's own path (``app.llm.make``), for its call sites


Binding = str | Factory
MAX_BASES_DEPTH = 4  # base classes followed up from an instance's class


@dataclass(frozen=True)
class LateAttribute:
    """``self.<attr> = a or self.make()``: the alternatives rooted in ``self``, and the
    name the method gives ``self``."""

    operands: tuple[cst.BaseExpression, ...]
    self_name: str


@dataclass
class Scope:
    names: dict[str, Binding | None] = field(default_factory=dict)
    # The expression last assigned to a name, for values read from arguments
    # (``BASE = os.getenv("TOGETHER_BASE_URL")`` ... ``OpenAI(base_url=BASE)``).
    expressions: dict[str, cst.BaseExpression] = field(default_factory=dict)


@dataclass
class SymbolTable:
    """Module bindings, class attributes, and a stack of function scopes."""

    module: str
    transparent: frozenset[str]
    endpoints: Endpoints = field(default_factory=Endpoints)
    module_scope: Scope = field(default_factory=Scope)
    class_attrs: dict[str, dict[str, Binding]] = field(default_factory=dict)
    # Per class instance: ``self.x = <expression of self>`` as written, resolved when read
    # with ``self`` the instance read from, so a subclass's override of the method it
    # calls decides (``self.client = client or self.create_client()`` in a base class).
    late_attrs: dict[str, dict[str, LateAttribute]] = field(default_factory=dict)
    bases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # instance -> its bases'
    stack: list[Scope] = field(default_factory=list)
    _resolving: set[tuple[str, str]] = field(default_factory=set)
    is_vendor: Callable[[str], bool] = lambda path: False
    vendor_bases: dict[str, str] = field(default_factory=dict)  # this module's class -> base

    # ------------------------------------------------------------- binding

    def bind(self, name: str, value: Binding | None) -> None:
        scope = self.stack[-1] if self.stack else self.module_scope
        scope.names[name] = value

    def bind_expression(self, name: str, node: cst.BaseExpression) -> None:
        scope = self.stack[-1] if self.stack else self.module_scope
        scope.expressions[name] = node

    def lookup_expression(self, name: str) -> cst.BaseExpression | None:
        for scope in reversed(self.stack):
            if name in scope.expressions:
                return scope.expressions[name]
        return self.module_scope.expressions.get(name)

    def own_expression(self, name: str) -> cst.BaseExpression | None:
        """The expression last assigned to ``name`` in the innermost scope binding it;
        None when that scope binds it otherwise (a parameter, an import)."""
        for scope in (*reversed(self.stack), self.module_scope):
            if name in scope.expressions:
                return scope.expressions[name]
            if name in scope.names:
                return None
        return None

    def lookup(self, name: str) -> Binding | None:
        for scope in reversed(self.stack):
            if name in scope.names:
                return scope.names[name]
        return self.module_scope.names.get(name)

    def push(self) -> None:
        self.stack.append(Scope())

    def pop(self) -> None:
        self.stack.pop()

    # ------------------------------------------------------------- resolving

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The symbolic value of an expression, or None when it is unknown."""
        value = self.resolve_binding(node)
        return value if isinstance(value, str) else None

    def resolve_binding(self, node: cst.BaseExpression) -> Binding | None:
        kind = type(node)  # `is`, not isinstance: see EXACT_CLASSES
        if kind is cst.Name:
            return self.lookup(node.value)  # type: ignore[attr-defined]
        if kind is cst.Attribute:
            base = self.resolve_binding(node.value)
            if not isinstance(base, str):
                return None
            return self.attribute(base, node.attr.value)  # type: ignore[attr-defined]
        if kind is cst.Call:
            special = value_call(node)  # type: ignore[arg-type]
            if special is not None:
                base = self.resolve(special[0])
                if base is None:
                    return None
                return self.attribute(base, special[1]) if special[1] else base
            func = self.resolve_binding(node.func)  # type: ignore[attr-defined]
            if isinstance(func, Factory):
                return func.returns
            if func is None:
                return None
            if func in CASTS and node.args:  # type: ignore[attr-defined]
                return self.instance_of(node.args[0].value)  # type: ignore[attr-defined]
            literal, vendor = self.call_facts(func, node)  # type: ignore[arg-type]
            return f"{func}({literal or ''})" + (f"@{vendor}" if vendor else "")
        if kind is cst.Subscript:
            base = self.resolve(node.value)  # type: ignore[attr-defined]
            if base is None:
                return None
            key = string_key(node)  # type: ignore[arg-type]
            return self.attribute(base, key) if key else f"{base}[]"
        if kind is cst.Await:
            return self.resolve_binding(node.expression)  # type: ignore[attr-defined]
        return None

    def call_facts(self, func: str, node: cst.Call) -> tuple[str | None, str | None]:
        """(literal first argument, host vendor) that the call's value carries; see
        ``lockscan.engine.python.endpoints``."""
        if self.endpoints.empty:
            return None, None
        literal = self.endpoints.literal_argument(func, node)
        vendor = self.endpoints.base_url_vendor(func, node, self.resolve, self.lookup_expression)
        return literal, vendor

    def attribute(self, base: str, attr: str) -> Binding:
        attrs = self.class_attrs.get(base)
        if attrs is not None and attr in attrs:
            return attrs[attr]
        if base in self.late_attrs or base in self.bases:
            found = self._member(base, base, attr, 0)
            if found is not None:
                return found
        if attr in self.transparent:
            return base
        return f"{base}.{attr}"

    def _member(self, instance: str, owner: str, attr: str, depth: int) -> Binding | None:
        """``attr`` of ``instance`` as class ``owner`` (the instance's class or a base in
        this module) defines it: a late attribute resolved for ``instance``, else what
        a base binds."""
        late = self.late_attrs.get(owner, {}).get(attr)
        if late is not None:
            value = self._late(instance, attr, late)
            if value is not None:
                return value
        if owner != instance:
            attrs = self.class_attrs.get(owner)
            if attrs is not None and attr in attrs:
                return attrs[attr]
        if depth < MAX_BASES_DEPTH:
            for parent in self.bases.get(owner, ()):
                found = self._member(instance, parent, attr, depth + 1)
                if found is not None:
                    return found
        return None

    def _late(self, instance: str, attr: str, late: LateAttribute) -> str | None:
        """The first of the late expression's ``self``-rooted alternatives that resolves,
        with ``self`` bound to ``instance`` and nothing else of the method known; None
        for what stays inside this module (the base's own unimplemented factory)."""
        key = (instance, attr)
        if key in self._resolving:
            return None
        self._resolving.add(key)
        saved, self.stack = self.stack, [Scope(names={late.self_name: instance})]
        try:
            for operand in late.operands:
                value = self.resolve(operand)
                if value and not value.startswith(f"{self.module}."):
                    return value
            return None
        finally:
            self.stack = saved
            self._resolving.discard(key)

    def instance_of(self, annotation: cst.BaseExpression | None) -> str | None:
        """``x: OpenAI`` / ``Optional[OpenAI]`` / ``OpenAI | None`` / ``"OpenAI"`` -> instance."""
        if annotation is None:
            return None
        if isinstance(annotation, cst.SimpleString):
            text = literal_value(annotation)
            if isinstance(text, str) and text.replace(".", "").replace("_", "").isalnum():
                parts = text.split(".")
                node: cst.BaseExpression = cst.Name(parts[0])
                for part in parts[1:]:
                    node = cst.Attribute(node, cst.Name(part))
                return self.instance_of(node)
            return None
        if isinstance(annotation, cst.BinaryOperation):
            return self.instance_of(annotation.left) or self.instance_of(annotation.right)
        if isinstance(annotation, cst.Subscript):
            base = self.resolve(annotation.value)
            if base is None and isinstance(annotation.value, cst.Name):
                base = annotation.value.value  # a builtin: `list[T]`, `set[T]`
            name = base.rsplit(".", 1)[-1] if base else None
            if name in {"Optional", "Union", "Annotated"}:
                for element in annotation.slice:
                    if isinstance(element.slice, cst.Index):
                        found = self.instance_of(element.slice.value)
                        if found:
                            return found
            elif name in ELEMENT_TYPES and isinstance(annotation.slice[0].slice, cst.Index):
                # `list[ChatCompletionMessage]`: its items are read as `x[0].content`, `for
                # m in x: m.content`, so the element's instance stands for the collection.
                return self.instance_of(annotation.slice[0].slice.value)
            return None
        if isinstance(annotation, cst.Name) and annotation.value == "None":
            return None
        path = self.resolve(annotation)
        if path in UNTYPED or (path and path.endswith("]")):  # an alias, `X = Union[A, B]`
            return None
        return f"{self.vendor_bases.get(path, path)}()" if path else None


def own_instance(path: str | None, packages: frozenset[str], vendor_bases: dict[str, str]) -> bool:
    """Whether ``path`` reads the fields of an instance of a class from one of
    ``packages`` (the packages a file is in: ``agno.models.message.Message().tool_calls``
    read in ``libs/agno/agno/models/x.py``), not one subclassing a vendor's class. What
    its methods return (``Model().retry()``, ``Loop().session.receive()``) may be
    anything, a vendor's response too."""
    found = _OWN_CLASS.match(path) if path else None
    return found is not None and found.group(2) in packages and \
        found.group(1) not in vendor_bases


# An instance of a class, or what its public fields hold, with no call after the class's
# own: (class path, root package). A private attribute (`self._response`) holds the
# object's machinery, a client or a stream, not its data.
_OWN_CLASS = re.compile(r"^(([A-Za-z_]\w*)(?:\.\w+)*\.[A-Z]\w*)\(\)(?:\[\])*(?:\.(?!_)[^(]*)?$")


def literal_value(node: cst.SimpleString) -> str | bytes:
    """``node.evaluated_value`` without compiling: LibCST evaluates every literal with
    ``ast.literal_eval``, but a literal without escapes (or a raw one) is its own text.
    Bytes and carriage returns (which Python turns into newlines) take the slow path."""
    body = node.raw_value
    prefix = node.prefix.lower()
    if "b" not in prefix and "\r" not in body and ("r" in prefix or "\\" not in body):
        return body
    return node.evaluated_value


# Generic collections and streams of one element type (``list[T]``, ``Iterator[T]``).
ELEMENT_TYPES = frozenset({
    "list", "List", "Sequence", "MutableSequence", "Iterable", "Iterator", "AsyncIterable",
    "AsyncIterator", "Generator", "AsyncGenerator", "set", "Set", "frozenset", "FrozenSet",
    "Collection", "deque", "Deque",
})

SHAPE = "~"  # starts a value whose root is unknown (``shape_of``)
OPAQUE = "!"  # starts a value known to be another library's object: no shape is read on it
PARAMETER = "#"  # tags a parameter's name in its value (``parameter_value``)

# Calls whose value is their argument's (or its receiver's) value, as far as a response
# shape goes: a response turned into a dict or parsed from JSON is read the same way.
SAME_VALUE_METHODS = frozenset({"model_dump", "to_dict", "dict", "to_json_dict"})
SAME_VALUE_FUNCTIONS = frozenset({"dict", "copy.deepcopy", "copy.copy", "deepcopy", "list",
                                  "tuple", "sorted", "reversed"})
# JSON parsed from a raw body read (`json.loads(response["body"].read())`, Bedrock's
# invoke_model) is that body; JSON parsed from a text field is new data.
JSON_LOADS = frozenset({"json.loads"})
KEY_FUNCTIONS = frozenset({"getattr"})
PARTIAL_FUNCTIONS = frozenset({"partial", "functools.partial"})
_FUNCTION_TAILS = frozenset(name.rsplit(".", 1)[-1] for name in (
    *KEY_FUNCTIONS, *SAME_VALUE_FUNCTIONS, *JSON_LOADS, *PARTIAL_FUNCTIONS))


def value_call(node: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    """A call that reads a value rather than computes one, as written: ``x.get("k")`` and
    ``getattr(x, "k")`` read field ``k`` of ``x`` (``(x, "k")``); ``x.model_dump()``,
    ``json.loads(x)``, ``dict(x)`` are ``x`` itself (``(x, "")``). None for other calls."""
    func = node.func
    args = node.args
    kind = type(func)
    if kind is cst.Attribute:
        name = func.attr.value  # type: ignore[attr-defined]
        if name == "get" and 1 <= len(args) <= 2 and args[0].keyword is None:
            key = _identifier(args[0].value)
            return (func.value, key) if key else None  # type: ignore[attr-defined]
        if name in SAME_VALUE_METHODS and not any(a.keyword is None for a in args):
            return func.value, ""  # type: ignore[attr-defined]
    elif kind is cst.Name:
        name = func.value  # type: ignore[attr-defined]
    else:
        return None
    if name not in _FUNCTION_TAILS:  # most calls: no dotted name to build
        return None
    written = dotted_name(func)
    if written is None or not args or args[0].keyword is not None or args[0].star:
        return None
    if written in KEY_FUNCTIONS and 2 <= len(args) <= 3:
        key = _identifier(args[1].value)
        return (args[0].value, key) if key else None
    if written in SAME_VALUE_FUNCTIONS and sum(a.keyword is None for a in args) == 1:
        return args[0].value, ""
    if written in JSON_LOADS and _reads_body(args[0].value):
        return args[0].value, ""
    if written in PARTIAL_FUNCTIONS:  # the same callable, some arguments bound
        return args[0].value, ""
    return None


def _reads_body(node: cst.BaseExpression) -> bool:
    """``x.read()`` or ``x.read().decode(...)``."""
    while type(node) is cst.Call and type(node.func) is cst.Attribute:  # type: ignore[attr-defined]
        name = node.func.attr.value  # type: ignore[attr-defined]
        if name == "read":
            return True
        if name != "decode":
            return False
        node = node.func.value  # type: ignore[attr-defined]
    return False


def _identifier(node: cst.BaseExpression) -> str | None:
    if type(node) is cst.SimpleString:
        value = literal_value(node)  # type: ignore[arg-type]
        if isinstance(value, str) and value.isidentifier():
            return value
    return None


def string_key(node: cst.Subscript) -> str | None:
    """The key of ``x["choices"]`` when it is one plain identifier-like string."""
    if len(node.slice) != 1:
        return None
    element = node.slice[0].slice
    if isinstance(element, cst.Index) and isinstance(element.value, cst.SimpleString):
        value = literal_value(element.value)
        if isinstance(value, str) and value.isidentifier():
            return value
    return None


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` as written, or None for anything that is not a plain dotted name."""
    kind = type(node)
    if kind is cst.Name:
        return node.value  # type: ignore[attr-defined]
    if kind is cst.Attribute:
        base = dotted_name(node.value)  # type: ignore[attr-defined]
        return f"{base}.{node.attr.value}" if base else None  # type: ignore[attr-defined]
    return None


def chain_text(node: cst.BaseExpression) -> str:
    """An attribute/subscript/call chain as a path: ``resp.choices[].message.content``."""
    kind = type(node)
    if kind is cst.Name:
        return node.value  # type: ignore[attr-defined]
    if kind is cst.Attribute:
        return f"{chain_text(node.value)}.{node.attr.value}"  # type: ignore[attr-defined]
    if kind is cst.Subscript:
        key = string_key(node)  # type: ignore[arg-type]
        base = chain_text(node.value)  # type: ignore[attr-defined]
        return f"{base}.{key}" if key else f"{base}[]"
    if kind is cst.Call:
        special = value_call(node)  # type: ignore[arg-type]
        if special is not None:
            base = chain_text(special[0])
            return f"{base}.{special[1]}" if special[1] else base
        return f"{chain_text(node.func)}()"  # type: ignore[attr-defined]
    if kind is cst.Await:
        return chain_text(node.expression)  # type: ignore[attr-defined]
    return "<expr>"


def chain_inner(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The next node down an attribute/subscript/call chain, None at its root."""
    kind = type(node)
    if kind is cst.Attribute or kind is cst.Subscript:
        return node.value  # type: ignore[attr-defined]
    if kind is cst.Call:
        special = value_call(node)  # type: ignore[arg-type]
        return node.func if special is None else special[0]  # type: ignore[attr-defined]
    if kind is cst.Await:
        return node.expression  # type: ignore[attr-defined]
    return None


def shape_of(node: cst.BaseExpression) -> str | None:
    """``~resp.choices[].message`` for ``resp.choices[0].message`` when ``resp`` is
    unknown: a value whose root is not resolved, kept as written so that a field read on
    it later still shows the whole shape. None unless a field is read on a name."""
    has_segment = False
    current = node
    while (inner := chain_inner(current)) is not None:
        kind = type(current)
        if kind is cst.Attribute or kind is cst.Subscript:
            has_segment = True
        elif kind is cst.Call:
            read = value_call(current)  # type: ignore[arg-type]
            has_segment = has_segment or bool(read and read[1])
        current = inner
    if not has_segment or type(current) is not cst.Name:
        return None
    return SHAPE + chain_text(node)


def shape_path(value: str) -> str:
    """The path shape rules read for a symbolic value (``~`` and a parameter's tag taken
    off: ``~resp#1a2b.choices[]`` reads ``resp.choices[]``)."""
    if not value.startswith(SHAPE):
        return value
    root, mark, rest = value.partition(PARAMETER)
    if not mark:
        return value[1:]
    end = SEGMENT_END.search(rest)
    return root[1:] + (rest[end.start():] if end else "")


def parameter_value(name: str, function_key: str) -> str:
    """What a parameter nothing is known about stands for: its name tagged with its
    function (a stable number, the same in both passes), so that what call sites pass
    to it can be put in its place when the file is done (``~resp#1a2b``)."""
    return f"{SHAPE}{name}{PARAMETER}{zlib.crc32(function_key.encode()):x}"


def parameter_root(value: str) -> str | None:
    """The parameter a value starts at (``~resp#1a2b``), if it does."""
    if not value.startswith(SHAPE) or PARAMETER not in value:
        return None
    end = SEGMENT_END.search(value)
    root = value[:end.start()] if end else value
    return root if PARAMETER in root else None

