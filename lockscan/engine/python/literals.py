"""Literal values read from LibCST nodes: strings, string collections, dict keys, the
literal tokens of an argument, and pydantic-settings env prefixes."""

from __future__ import annotations

import libcst as cst

from lockscan.engine.python.symbols import dotted_name, literal_value
from lockscan.engine.python.walk import children

MAX_TOKENS = 64  # literal tokens kept per keyword value


def env_prefix(node: cst.ClassDef) -> str:
    """``env_prefix`` from ``model_config = SettingsConfigDict(env_prefix=...)`` or
    ``{"env_prefix": ...}`` (v2), or a nested ``class Config: env_prefix = ...`` (v1)."""
    for line in node.body.body:
        if isinstance(line, cst.ClassDef) and line.name.value == "Config":
            for inner in line.body.body:
                if isinstance(inner, cst.SimpleStatementLine):
                    for statement in inner.body:
                        if (isinstance(statement, cst.Assign) and len(statement.targets) == 1
                                and dotted_name(statement.targets[0].target) == "env_prefix"):
                            return string_value(statement.value) or ""
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for statement in line.body:
            if isinstance(statement, cst.Assign | cst.AnnAssign) and statement.value is not None:
                targets = ([t.target for t in statement.targets]
                           if isinstance(statement, cst.Assign) else [statement.target])
                if any(dotted_name(t) == "model_config" for t in targets):
                    return config_prefix(statement.value)
    return ""


def config_prefix(value: cst.BaseExpression) -> str:
    if isinstance(value, cst.Call):
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "env_prefix":
                return string_value(arg.value) or ""
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) == "env_prefix":
                return string_value(element.value) or ""
    return ""


def safe_evaluated(node: cst.SimpleString | cst.ConcatenatedString) -> str | None:
    try:
        value = literal_value(node) if type(node) is cst.SimpleString else node.evaluated_value
    except Exception:
        return None
    return value if isinstance(value, str) else None


def string_value(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        return safe_evaluated(node)
    return None


def string_values(node: cst.BaseExpression) -> tuple[str, ...]:
    single = string_value(node)
    if single is not None:
        return (single,)
    if isinstance(node, cst.Tuple | cst.List | cst.Set):
        found = tuple(v for e in node.elements if (v := string_value(e.value)) is not None)
        return found if len(found) == len(node.elements) else ()
    return ()


def dict_keys(node: cst.BaseExpression) -> frozenset[str] | None:
    if isinstance(node, cst.Dict):
        return frozenset(
            k for e in node.elements
            if isinstance(e, cst.DictElement) and (k := string_value(e.key)) is not None
        )
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        return frozenset(a.keyword.value for a in node.args if a.keyword is not None)
    return None


def literal_tokens(node: cst.BaseExpression) -> str:
    """Strings and names inside a keyword value, joined: enough to test its shape."""
    tokens: list[str] = []
    stack: list[cst.CSTNode] = [node]
    while stack and len(tokens) < MAX_TOKENS:
        current = stack.pop()
        if isinstance(current, cst.SimpleString):
            value = safe_evaluated(current)
            if value is not None:
                tokens.append(value)
        elif isinstance(current, (cst.Name, cst.Integer | cst.Float)):
            tokens.append(current.value)
        else:
            stack.extend(reversed(children(current)))
    return " ".join(tokens)
