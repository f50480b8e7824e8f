"""Structured extraction of support tickets from free-text emails."""
from __future__ import annotations

import json
import math
from typing import Any, Literal

import openai as oa
from pydantic import BaseModel


class Ticket(BaseModel):
    """A normalised support ticket."""

    category: Literal["billing", "shipping", "product", "other"]
    priority: Literal["low", "normal", "high"]
    summary: str


_client = oa.OpenAI()


def extract_ticket_json(text: str) -> tuple[dict[str, Any], float]:
    """Deterministic JSON-schema extraction used by the nightly backfill.

    Returns the ticket dict and the mean token probability as a confidence.
    """
    resp = _client.chat.completions.create(
        model="gpt-4o-2024-08-06",
        messages=[{"role": "user", "content": f"Extract a support ticket from this email:\n\n{text}"}],
        response_format={
            "type": "json_schema",
            "json_schema": {
                "name": "support_ticket",
                "strict": True,
                "schema": {
                    "type": "object",
                    "properties": {
                        "category": {"type": "string", "enum": ["billing", "shipping", "product", "other"]},
                        "priority": {"type": "string", "enum": ["low", "normal", "high"]},
                        "summary": {"type": "string"},
                    },
                    "required": ["category", "priority", "summary"],
                    "additionalProperties": False,
                },
            },
        },
        seed=42,
        logprobs=True,
        temperature=0,
    )
    choice = resp.choices[0]
    tokens = (choice.logprobs.content or []) if choice.logprobs else []
    confidence = math.exp(sum(t.logprob for t in tokens) / len(tokens)) if tokens else 0.0
    return json.loads(choice.message.content or "{}"), confidence


def extract_ticket(text: str) -> Ticket:
    """Typed extraction via the SDK's structured-output parse helper."""
    completion = _client.beta.chat.completions.parse(
        model="gpt-4o-2024-08-06",
        messages=[
            {"role": "system", "content": "Turn the customer's email into a support ticket."},
            {"role": "user", "content": text},
        ],
        response_format=Ticket,
    )
    message = completion.choices[0].message
    if message.refusal:
        raise ValueError(f"model refused: {message.refusal}")
    assert message.parsed is not None
    return message.parsed
