"""Pass 1 of the Python analyzer: bind module-level names (imports, assignments,
factory functions, class attributes and ``self.x`` set in methods) before the walk, so
a use before its definition still resolves; and the module's exports, the names other
files can import that stand for vendor objects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from lockscan.engine.python.literals import string_value
from lockscan.engine.python.symbols import (
    Factory,
    LateAttribute,
    SymbolTable,
    dotted_name,
    parameter_value,
)
from lockscan.engine.python.walk import children, preorder
from lockscan.ruleset.index import RuleIndex


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


def bind_module(tree: cst.Module, table: SymbolTable, module: str, package: str) -> None:
    for statement in module_statements(tree.body):
        _bind_statement(statement, table, module, package)


def module_statements(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Top-level statements, looking inside if/try/with blocks but not defs."""
    for node in body:
        if isinstance(node, cst.SimpleStatementLine):
            yield from node.body
        elif isinstance(node, cst.If | cst.Try | cst.With | cst.TryStar):
            yield from module_statements(_blocks_of(node))
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
        for name, value in import_bindings(node, package):
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
        table.bind(node.name.value, function_binding(node, table, module))
    elif isinstance(node, cst.ClassDef):
        class_path = f"{module}.{node.name.value}"
        table.bind(node.name.value, class_path)
        for base in node.bases:  # `class Chunk(ChatCompletionChunk)`: read as the vendor's
            found = table.resolve(base.value)
            if found and table.is_vendor(found):
                table.vendor_bases[class_path] = found
                break
        table.class_attrs[f"{class_path}()"] = _class_attributes(node, table, class_path, package)


def function_binding(node: cst.FunctionDef, table: SymbolTable, module: str) -> Factory | str:
    returns = table.instance_of(node.returns.annotation) if node.returns else None
    path = f"{module}.{node.name.value}"
    return Factory(returns, path) if returns else path


# Decorators that make a method an attribute read (``self.client``, not ``self.client()``).
PROPERTY_DECORATORS = frozenset({"property", "cached_property", "abstractproperty"})

# Imports by a literal name at run time (lazy imports of an optional SDK).
RUNTIME_IMPORTS = frozenset({"importlib.import_module", "__import__"})


def runtime_import(node: cst.Call, func: object) -> str | None:
    """``importlib.import_module("litellm")`` / ``__import__("openai")``: the module
    imported by its literal name (what the call returns: ``__import__`` returns the top
    package); a lazy-module wrapper's module (``lazy_loader``). ``func``: what the callee
    is bound to (the builtin ``__import__`` is bound to nothing)."""
    if not node.args:
        return None
    if func is None and type(node.func) is cst.Name and node.func.value == "__import__":
        func = "__import__"
    if func not in RUNTIME_IMPORTS:
        return lazy_loader(node)
    if node.args[0].keyword is not None:
        return None
    name = _module_name(string_value(node.args[0].value))
    if name is None:
        return None
    return name.split(".")[0] if func == "__import__" else name


def _module_name(text: str | None) -> str | None:
    """``text`` when it is a dotted module name."""
    return text if text and all(part.isidentifier() for part in text.split(".")) else None


# Lazy-module wrappers import their module on first attribute access (an object whose
# ``__getattr__`` imports it): ``LazyLoader("openai", globals(), "openai")``,
# ``lazy_import("anthropic")``, ``LazyModule("litellm")``. Known by the callee's name
# (lazy, and load, import or module: not ``lazy_cache("openai.json")``).
LAZY_NAME_ARGUMENTS = frozenset({"name", "module", "module_name"})


def lazy_loader(node: cst.Call) -> str | None:
    """The module a lazy-module wrapper stands for: its last literal module-name argument
    (positional, or ``name=``/``module=``/``module_name=``); None for other calls."""
    func = node.func
    written = func.attr.value if type(func) is cst.Attribute else (  # type: ignore[attr-defined]
        func.value if type(func) is cst.Name else "")  # type: ignore[attr-defined]
    lowered = written.lower()
    if "lazy" not in lowered or not any(w in lowered for w in ("load", "import", "module")):
        return None
    modules = [_module_name(string_value(arg.value)) for arg in node.args
               if arg.keyword is None or arg.keyword.value in LAZY_NAME_ARGUMENTS]
    return next((m for m in reversed(modules) if m), None)


def import_bindings(node: cst.Import | cst.ImportFrom, package: str) -> list[tuple[str, str]]:
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
    node: cst.ClassDef, table: SymbolTable, class_path: str, package: str
) -> dict[str, Factory | str]:
    """``self.x = ...`` in any method and annotated class fields, resolved at module level."""
    attrs: dict[str, Factory | str] = {}
    instance = f"{class_path}()"
    bases = tuple(f"{path}()" for base in node.bases
                  if (path := table.resolve(base.value)) and f"{path}()" in table.class_attrs)
    if bases:
        table.bases[instance] = bases
    for statement in module_statements(node.body.body):
        if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
            value = table.resolve(statement.value) if statement.value else None
            value = value or table.instance_of(statement.annotation.annotation)
            if value:
                attrs[statement.target.value] = value
        elif isinstance(statement, cst.Assign):  # `client = Anthropic()` in the class body
            value = table.resolve(statement.value)
            for target in statement.targets:
                if value and isinstance(target.target, cst.Name):
                    attrs[target.target.value] = value
        elif isinstance(statement, cst.FunctionDef):
            returns = (
                table.instance_of(statement.returns.annotation) if statement.returns else None
            )
            if returns and _is_property(statement):  # `self.client` is what it returns
                attrs[statement.name.value] = returns
            elif returns:
                attrs[statement.name.value] = Factory(returns,
                                                      f"{instance}.{statement.name.value}")
            attrs.update(_self_assignments(statement, table, instance, package))
    return attrs


def _self_operands(node: cst.BaseExpression, self_name: str) -> tuple[cst.BaseExpression, ...]:
    """The alternatives of ``a or self.make()`` / ``x if c else self.y`` rooted in ``self``."""
    if isinstance(node, cst.BooleanOperation):
        return _self_operands(node.left, self_name) + _self_operands(node.right, self_name)
    if isinstance(node, cst.IfExp):
        return _self_operands(node.body, self_name) + _self_operands(node.orelse, self_name)
    root = node
    while isinstance(root, cst.Attribute | cst.Call | cst.Subscript | cst.Await):
        root = root.expression if isinstance(root, cst.Await) else \
            root.func if isinstance(root, cst.Call) else root.value
    if isinstance(root, cst.Name) and root.value == self_name and root is not node:
        return (node,)
    return ()


def decorator_names(method: cst.FunctionDef) -> set[str]:
    """The last name of each decorator (``functools.cached_property`` -> ``cached_property``)."""
    return {(dotted_name(d.decorator) or "").rsplit(".", 1)[-1] for d in method.decorators}


def _is_property(method: cst.FunctionDef) -> bool:
    return bool(decorator_names(method) & PROPERTY_DECORATORS)


def _self_assignments(
    method: cst.FunctionDef, table: SymbolTable, instance: str, package: str
) -> dict[str, str]:
    params = method.params.params
    if not params:
        return {}
    self_name = params[0].name.value
    table.push()
    table.bind(self_name, instance)  # `self.client = self._make()` is the method's value
    key = f"{instance}.{method.name.value}"
    for param in params[1:]:
        # `self.client = client`: what the constructor is given (extract.py fills it in)
        ann = param.annotation.annotation if param.annotation else None
        table.bind(param.name.value, table.instance_of(ann)
                   or parameter_value(param.name.value, key))
    found: dict[str, str] = {}
    for assign in _walk_assignments(method.body):
        if isinstance(assign, cst.Import | cst.ImportFrom):  # `from litellm import completion`
            for name, value in import_bindings(assign, package):
                table.bind(name, value)
            continue
        if isinstance(assign, cst.WithItem):  # `async with client.aio.live.connect() as s:`
            if assign.asname is not None and isinstance(assign.asname.name, cst.Name):
                table.bind(assign.asname.name.value, table.resolve(assign.item))
            continue
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
            ):
                operands = _self_operands(assign.value, self_name) if assign.value else ()
                # `self.chat = self.model.start_chat()`: `self.model` is not bound yet, so
                # the path through the instance is left to the late attribute.
                if value and not (operands and value.startswith(instance)):
                    found[target.attr.value] = value
                if operands:
                    table.late_attrs.setdefault(instance, {})[target.attr.value] = \
                        LateAttribute(operands, self_name)
            elif isinstance(target, cst.Name):
                table.bind(target.value, value)
    table.pop()
    return found


def _walk_assignments(
    node: cst.CSTNode,
) -> Iterator[cst.Assign | cst.AnnAssign | cst.Import | cst.ImportFrom | cst.WithItem]:
    """Assignments, imports and ``with ... as`` items under ``node`` in source order, not
    inside nested defs or lambdas."""
    for child in preorder(node, is_new_scope):
        if isinstance(child, cst.Assign | cst.AnnAssign | cst.Import | cst.ImportFrom |
                      cst.WithItem):
            yield child


def is_new_scope(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.FunctionDef | cst.ClassDef | cst.Lambda)


def exports(
    table: SymbolTable, index: RuleIndex, import_values: set[str]
) -> list[tuple[str, str]]:
    """Module-level names other files can import and that stand for vendor objects
    (or for names imported from elsewhere, so re-exports chain)."""
    out = []
    for name, value in table.module_scope.names.items():
        text = value.returns if isinstance(value, Factory) else value
        if not text:
            continue
        if index.is_vendor_path(text) or import_root(text, import_values):
            out.append((name, f"factory:{text}" if isinstance(value, Factory) else text))
    return sorted(out)


def import_root(path: str, import_values: set[str]) -> str | None:
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


