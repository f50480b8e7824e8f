"""Shared OpenAI client and a thin single-turn helper around it."""
from __future__ import annotations

from openai import OpenAI

from chatbot.config import CHAT_MODEL, SYSTEM_PROMPT

# One client per process; the SDK reads OPENAI_API_KEY / OPENAI_ORG_ID itself.
client = OpenAI()


def ask(question: str, *, temperature: float = 0.3) -> str:
    """Answer a single question with the default system prompt."""
    resp = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": question},
        ],
        temperature=temperature,
    )
    return resp.choices[0].message.content or ""
