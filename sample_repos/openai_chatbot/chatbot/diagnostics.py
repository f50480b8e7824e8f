"""Health probe and rate-limit introspection for the ops dashboard."""
from __future__ import annotations

import time
from dataclasses import dataclass

from openai import OpenAI as C

from chatbot.config import CHAT_MODEL


@dataclass
class ProbeResult:
    """Outcome of one health probe."""

    ok: bool
    latency_ms: float
    remaining_requests: int | None
    remaining_tokens: int | None
    request_id: str | None


def _int_header(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def probe() -> ProbeResult:
    """Send a one-token request and report latency and rate-limit headroom."""
    client = C()
    started = time.perf_counter()
    raw = client.chat.completions.with_raw_response.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "ping"}],
        max_tokens=1,
    )
    latency_ms = (time.perf_counter() - started) * 1000
    completion = raw.parse()
    return ProbeResult(
        ok=bool(completion.choices),
        latency_ms=round(latency_ms, 1),
        remaining_requests=_int_header(raw.headers.get("x-ratelimit-remaining-requests")),
        remaining_tokens=_int_header(raw.headers.get("x-ratelimit-remaining-tokens")),
        request_id=raw.headers.get("x-request-id"),
    )
