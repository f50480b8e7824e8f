"""Tool (function-calling) schemas and their local implementations."""
from __future__ import annotations

import json
from typing import Any, Callable

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "lookup_order",
            "description": "Look up the status of a customer order by its id.",
            "parameters": {
                "type": "object",
                "properties": {
                    "order_id": {"type": "string", "description": "Order id, e.g. A-10023"},
                },
                "required": ["order_id"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "search_products",
            "description": "Full-text search over the product catalogue.",
            "parameters": {
                "type": "object",
                "properties": {
                    "query": {"type": "string"},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 20},
                },
                "required": ["query"],
            },
        },
    },
]


def make_function_tool(
    name: str,
    description: str,
    properties: dict[str, Any],
    required: list[str] | None = None,
) -> dict[str, Any]:
    """Build an OpenAI tool entry for an ad-hoc function."""
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": required or [],
                "additionalProperties": False,
            },
        },
    }


ESCALATE_TOOL = make_function_tool(
    "escalate_to_human",
    "Hand the conversation over to a human support agent.",
    {"reason": {"type": "string"}},
    required=["reason"],
)


def lookup_order(order_id: str) -> dict[str, Any]:
    """Stub: the real implementation calls the orders service."""
    return {"order_id": order_id, "status": "shipped", "eta_days": 2}


def search_products(query: str, limit: int = 5) -> list[dict[str, str]]:
    """Stub product search."""
    return [{"sku": f"SKU-{i}", "title": f"{query.title()} #{i}"} for i in range(limit)]


def escalate_to_human(reason: str) -> dict[str, str]:
    """Open a ticket in the helpdesk queue."""
    return {"ticket": "T-0001", "reason": reason}


REGISTRY: dict[str, Callable[..., Any]] = {
    "lookup_order": lookup_order,
    "search_products": search_products,
    "escalate_to_human": escalate_to_human,
}


def run_tool_call(tool_call: Any) -> dict[str, str]:
    """Execute one ``tool_call`` from the model and build the tool message."""
    fn = REGISTRY[tool_call.function.name]
    args = json.loads(tool_call.function.arguments or "{}")
    result = fn(**args)
    return {
        "role": "tool",
        "tool_call_id": tool_call.id,
        "content": json.dumps(result),
    }
