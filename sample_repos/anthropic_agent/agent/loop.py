"""The tool-use loop and the planning call."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import anthropic

from agent.client import DEFAULT_MODEL, MAX_TOKENS
from agent.tools import TOOLS, execute_tool

if TYPE_CHECKING:
    from anthropic.types import Message

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You are a careful research assistant.
<instructions>
- Use the tools to gather facts before answering.
- Cite the URLs you used at the end of your answer.
- If a tool returns ERROR, try another approach instead of repeating the call.
</instructions>"""

MAX_STEPS = 8


def final_text(response: Message) -> str:
    """Concatenate the text blocks of a response."""
    return "".join(block.text for block in response.content if block.type == "text")


def run_agent(client: anthropic.Anthropic, task: str) -> str:
    """Run the tool loop until the model stops asking for tools."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": task}]
    for step in range(MAX_STEPS):
        response = client.messages.create(
            model="claude-sonnet-4-20250514",
            max_tokens=MAX_TOKENS,
            system=[{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}],
            tools=TOOLS,
            messages=messages,
        )
        log.info("step %d: stop_reason=%s usage=%s", step, response.stop_reason, response.usage)
        messages.append({"role": "assistant", "content": response.content})
        if response.stop_reason == "tool_use":
            results = []
            for block in response.content:
                if block.type == "tool_use":
                    output = execute_tool(block.name, block.input)
                    results.append({"type": "tool_result", "tool_use_id": block.id, "content": output})
            messages.append({"role": "user", "content": results})
            continue
        return final_text(response)
    raise RuntimeError(f"agent did not finish within {MAX_STEPS} steps")


def plan(client: anthropic.Anthropic, task: str) -> tuple[str, str]:
    """Ask for a research plan with extended thinking; returns (thinking, plan)."""
    response = client.messages.create(
        model=DEFAULT_MODEL,
        max_tokens=MAX_TOKENS,
        thinking={"type": "enabled", "budget_tokens": 2048},
        messages=[{"role": "user", "content": f"Write a numbered research plan for: {task}"}],
    )
    thinking = "".join(b.thinking for b in response.content if b.type == "thinking")
    return thinking, final_text(response)
