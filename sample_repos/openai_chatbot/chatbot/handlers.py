"""Request handlers shared by the HTTP app and the CLI."""
from __future__ import annotations

import logging
from typing import Any

import openai

from chatbot import config
from chatbot.conversation import run_conversation
from chatbot.llm import client
from chatbot.structured import extract_ticket

log = logging.getLogger(__name__)

INTENTS = {"order", "return", "product", "chitchat"}


def handle_message(history: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """Answer one user message, mapping SDK errors to friendly replies."""
    try:
        answer = run_conversation(history, text)
    except openai.RateLimitError:
        log.warning("rate limited by upstream model API")
        return {"answer": "We're busy right now - please try again in a minute.", "retry": True}
    except openai.APIError as exc:
        log.exception("model API error: %s", exc)
        return {"answer": "Something went wrong on our side.", "retry": True}
    return {"answer": answer, "retry": False}


def classify_intent(text: str) -> str:
    """Route a message to one of ``INTENTS``."""
    resp = client.chat.completions.create(
        model=config.CHAT_MODEL,
        messages=[
            {
                "role": "system",
                "content": "Classify the user's intent as one of: order, return, product, chitchat. "
                "Reply with the label only.",
            },
            {"role": "user", "content": text},
        ],
        max_tokens=3,
        temperature=0,
    )
    label = (resp.choices[0].message.content or "").strip().lower()
    return label if label in INTENTS else "chitchat"


def handle_ticket(text: str) -> dict[str, Any]:
    """Turn an inbound email into a ticket payload for the helpdesk."""
    ticket = extract_ticket(text)
    return {"intent": classify_intent(text), **ticket.model_dump()}
