"""Tools the agent may call, in Anthropic tool-definition format."""
from __future__ import annotations

import ast
import json
import operator
from typing import Any

import httpx

TOOLS: list[dict[str, Any]] = [
    {
        "name": "fetch_url",
        "description": "Fetch a web page and return the first 8,000 characters of its text.",
        "input_schema": {
            "type": "object",
            "properties": {"url": {"type": "string", "description": "Absolute http(s) URL"}},
            "required": ["url"],
        },
    },
    {
        "name": "calculator",
        "description": "Evaluate an arithmetic expression such as '(3 + 4) * 2'.",
        "input_schema": {
            "type": "object",
            "properties": {"expression": {"type": "string"}},
            "required": ["expression"],
        },
    },
    {
        "name": "save_note",
        "description": "Save a short note to the research notebook.",
        "input_schema": {
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "body": {"type": "string"},
            },
            "required": ["title", "body"],
        },
    },
]

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
NOTES: dict[str, str] = {}


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left), _eval(node.right))
    raise ValueError("unsupported expression")


def fetch_url(url: str) -> str:
    resp = httpx.get(url, timeout=15.0, follow_redirects=True)
    resp.raise_for_status()
    return resp.text[:8000]


def calculator(expression: str) -> str:
    return str(_eval(ast.parse(expression, mode="eval").body))


def save_note(title: str, body: str) -> str:
    NOTES[title] = body
    return json.dumps({"saved": title, "count": len(NOTES)})


def execute_tool(name: str, tool_input: dict[str, Any]) -> str:
    """Run a tool by name; errors are returned as text for the model to see."""
    handlers = {"fetch_url": fetch_url, "calculator": calculator, "save_note": save_note}
    try:
        return handlers[name](**tool_input)
    except Exception as exc:  # noqa: BLE001 - surfaced to the model
        return f"ERROR: {exc}"
