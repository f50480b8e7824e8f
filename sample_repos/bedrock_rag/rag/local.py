"""Fallback to a local vLLM server through its OpenAI-compatible API."""

from openai import OpenAI

from rag.settings import settings

LOCAL_URL = "http://localhost:8000/v1"
local = OpenAI(base_url=LOCAL_URL, api_key=settings.openai_api_key)


def answer_locally(question: str) -> str:
    reply = local.chat.completions.create(
        model="meta-llama/Llama-3.1-8B-Instruct",
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content
