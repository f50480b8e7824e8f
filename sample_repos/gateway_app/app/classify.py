"""Topic tagging for articles."""
from __future__ import annotations

import re

from app.llm_gateway import LLMError, complete

TOPICS = ("billing", "security", "onboarding", "infrastructure", "hr", "other")

PROMPT = """Pick up to three topics for the article below.
Allowed topics: {topics}.
Answer with a comma-separated list of topics and nothing else.

Article:
{article}"""


def parse_topics(answer: str) -> list[str]:
    """Keep only allowed topics, in answer order, without duplicates."""
    seen: list[str] = []
    for word in re.split(r"[,\s]+", answer.lower()):
        if word in TOPICS and word not in seen:
            seen.append(word)
    return seen[:3] or ["other"]


def classify(article: str) -> list[str]:
    """Return 1-3 topic tags; falls back to ``other`` if the model is down."""
    try:
        answer = complete(PROMPT.format(topics=", ".join(TOPICS), article=article[:8000]), max_tokens=20)
    except LLMError:
        return ["other"]
    return parse_topics(answer)
