"""Question answering agents built with LangChain."""
from __future__ import annotations

from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI

writer = ChatOpenAI(model="gpt-4o-mini", temperature=0.2)
critic = ChatAnthropic(model="claude-3-5-haiku-20241022", max_tokens=512)
fast = init_chat_model("groq:llama-3.1-8b-instant")


def answer(question: str) -> str:
    draft = writer.invoke(question)
    if draft.response_metadata["finish_reason"] == "length":
        draft = writer.invoke(question + "\nBe shorter.")
    review = critic.invoke(f"Review this answer:\n{draft.content}")
    print(review.response_metadata["stop_reason"])
    return fast.invoke(f"Merge:\n{draft.content}\n{review.content}").content
