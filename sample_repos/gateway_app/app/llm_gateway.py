"""The ONLY module that talks to model vendors.

Everything else calls :func:`complete` and :func:`embed`. Switching provider is
a change to this file plus the ``LLM_PROVIDER`` setting.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Callable, Sequence

import anthropic
import litellm
from openai import OpenAI

from app.settings import get_settings

log = logging.getLogger(__name__)

OPENAI_CHAT_MODEL = "gpt-4o-mini"
OPENAI_EMBED_MODEL = "text-embedding-3-small"
ANTHROPIC_MODEL = "claude-3-5-haiku-20241022"


class LLMError(RuntimeError):
    """Raised for any provider failure, so callers never see SDK exceptions."""


@lru_cache(maxsize=1)
def _openai() -> OpenAI:
    return OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=get_settings().llm_timeout_s)


@lru_cache(maxsize=1)
def _anthropic() -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"], timeout=get_settings().llm_timeout_s)


def _messages(prompt: str, system: str | None) -> list[dict[str, str]]:
    msgs = [{"role": "system", "content": system}] if system else []
    return msgs + [{"role": "user", "content": prompt}]


def _complete_openai(prompt: str, system: str | None, max_tokens: int) -> str:
    resp = _openai().chat.completions.create(
        model=OPENAI_CHAT_MODEL,
        messages=_messages(prompt, system),
        max_tokens=max_tokens,
        temperature=0.2,
    )
    return resp.choices[0].message.content or ""


def _complete_anthropic(prompt: str, system: str | None, max_tokens: int) -> str:
    kwargs = {"system": system} if system else {}
    resp = _anthropic().messages.create(
        model=ANTHROPIC_MODEL,
        max_tokens=max_tokens,
        messages=[{"role": "user", "content": prompt}],
        temperature=0.2,
        **kwargs,
    )
    return "".join(block.text for block in resp.content if block.type == "text")


def _complete_litellm(prompt: str, system: str | None, max_tokens: int) -> str:
    resp = litellm.completion(
        model="anthropic/claude-3-5-haiku-20241022",
        messages=_messages(prompt, system),
        max_tokens=max_tokens,
        timeout=get_settings().llm_timeout_s,
    )
    return resp.choices[0].message.content or ""


_BACKENDS: dict[str, Callable[[str, str | None, int], str]] = {
    "openai": _complete_openai,
    "anthropic": _complete_anthropic,
    "litellm": _complete_litellm,
}


def complete(prompt: str, *, system: str | None = None, max_tokens: int | None = None) -> str:
    """Return the model's text answer to ``prompt``."""
    settings = get_settings()
    backend = _BACKENDS.get(settings.llm_provider)
    if backend is None:
        raise LLMError(f"unknown LLM_PROVIDER {settings.llm_provider!r}")
    try:
        return backend(prompt, system, max_tokens or settings.max_output_tokens).strip()
    except Exception as exc:  # noqa: BLE001 - normalise every SDK error
        log.exception("completion failed via %s", settings.llm_provider)
        raise LLMError(str(exc)) from exc


def embed(texts: Sequence[str]) -> list[list[float]]:
    """Embed ``texts``. Always OpenAI: Anthropic has no embeddings endpoint."""
    if not texts:
        return []
    try:
        resp = _openai().embeddings.create(model=OPENAI_EMBED_MODEL, input=list(texts))
    except Exception as exc:  # noqa: BLE001
        raise LLMError(str(exc)) from exc
    return [item.embedding for item in resp.data]
