"""Topic classification with Mistral function calling."""
from __future__ import annotations

import json

from mistralai import Mistral

from zoo.config import SETTINGS, api_keys

client = Mistral(api_key=api_keys()["mistral"])

CLASSIFY_TOOL = {
    "type": "function",
    "function": {
        "name": "set_topic",
        "description": "Record the paper's topic",
        "parameters": {"type": "object", "properties": {"topic": {"type": "string"}}},
    },
}


def classify(abstract: str) -> str:
    messages = [{"role": "user", "content": abstract}]
    resp = client.chat.complete(
        model=SETTINGS.mistral_model,
        messages=messages,
        tools=[CLASSIFY_TOOL],
        tool_choice="any",
        random_seed=7,
        safe_prompt=True,
    )
    call = resp.choices[0].message.tool_calls[0]
    messages.append({"role": "tool", "tool_call_id": call.id, "name": "set_topic", "content": "ok"})
    return json.loads(call.function.arguments)["topic"]
