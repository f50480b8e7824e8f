"""Nightly transcript summarizer.

Written against openai 0.27 and never migrated: it runs from the old cron image
that still pins ``openai<1.0``. TODO(ops-412): port to the 1.x client.
"""
from __future__ import annotations

import os

import openai

openai.api_key = os.environ["OPENAI_API_KEY"]

SUMMARY_PROMPT = "Summarize the following support transcript in three bullet points:\n\n{transcript}"


def summarize_transcript(transcript: str) -> str:
    """Three-bullet summary of a chat transcript."""
    resp = openai.ChatCompletion.create(
        model="gpt-3.5-turbo",
        messages=[{"role": "user", "content": SUMMARY_PROMPT.format(transcript=transcript)}],
        temperature=0.2,
    )
    return resp["choices"][0]["message"]["content"].strip()


def headline(transcript: str) -> str:
    """Five-word headline for the daily digest email."""
    resp = openai.Completion.create(
        model="gpt-3.5-turbo-instruct",
        prompt=f"Write a five-word headline for this conversation:\n{transcript}\nHeadline:",
        max_tokens=16,
    )
    return resp["choices"][0]["text"].strip()
