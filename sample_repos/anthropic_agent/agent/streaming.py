"""Streaming answers, quick one-shot calls and context-size checks."""
from __future__ import annotations

import sys
from typing import TextIO

import anthropic

from agent.client import DEFAULT_MODEL, make_client

CONTEXT_BUDGET = 150_000


def stream_answer(client: anthropic.Anthropic, prompt: str, out: TextIO = sys.stdout) -> str:
    """Print the answer as it is generated and return the full text."""
    chunks: list[str] = []
    with client.messages.stream(
        model=DEFAULT_MODEL,
        max_tokens=2048,
        messages=[{"role": "user", "content": prompt}],
    ) as stream:
        for text in stream.text_stream:
            out.write(text)
            out.flush()
            chunks.append(text)
    out.write("\n")
    return "".join(chunks)


def quick_answer(question: str) -> str:
    """Cheap single-turn answer on the floating alias."""
    response = make_client().messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=512,
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text


def one_shot(prompt: str) -> str:
    """Short-lived client for scripts; the HTTP pool is closed on exit."""
    with anthropic.Anthropic() as c:
        response = c.messages.create(
            model=DEFAULT_MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": prompt}],
        )
    return response.content[0].text


def fits_in_context(client: anthropic.Anthropic, prompt: str) -> bool:
    """True if ``prompt`` leaves room for an answer within the context budget."""
    count = client.messages.count_tokens(
        model=DEFAULT_MODEL,
        messages=[{"role": "user", "content": prompt}],
    )
    return count.input_tokens <= CONTEXT_BUDGET
