"""Multi-turn conversation loop with tool calling."""
from __future__ import annotations

from typing import Any

from openai import OpenAI

from chatbot.config import SYSTEM_PROMPT
from chatbot.tools import TOOLS, run_tool_call

MAX_TOOL_ROUNDS = 4


def run_conversation(history: list[dict[str, Any]], user_message: str) -> str:
    """Append ``user_message`` to ``history`` and loop until the model answers."""
    client = OpenAI()
    messages: list[Any] = [
        {"role": "system", "content": SYSTEM_PROMPT},
        *history,
        {"role": "user", "content": user_message},
    ]
    for _ in range(MAX_TOOL_ROUNDS):
        resp = client.chat.completions.create(model="gpt-4o", messages=messages, tools=TOOLS)
        choice = resp.choices[0]
        if choice.finish_reason == "tool_calls":
            tool_calls = resp.choices[0].message.tool_calls
            messages.append(choice.message.model_dump(exclude_none=True))
            for tool_call in tool_calls:
                messages.append(run_tool_call(tool_call))
            continue
        return resp.choices[0].message.content or ""
    return "Sorry, I could not finish that request. A colleague will follow up."
