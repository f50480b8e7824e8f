"""Async agent used by the websocket endpoint."""
from __future__ import annotations

from typing import Any

from openai import AsyncOpenAI

from chatbot.config import CHAT_MODEL, SYSTEM_PROMPT
from chatbot.tools import ESCALATE_TOOL, TOOLS, run_tool_call


class AsyncChatAgent:
    """Keeps per-session history and talks to the model asynchronously."""

    def __init__(self, session_id: str, max_history: int = 20) -> None:
        self.session_id = session_id
        self.max_history = max_history
        self.history: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM_PROMPT}]
        self.client = AsyncOpenAI()

    async def reply(self, text: str) -> str:
        """Send ``text`` and return the assistant's final answer."""
        self.history.append({"role": "user", "content": text})
        for _ in range(3):
            resp = await self.client.chat.completions.create(
                model=CHAT_MODEL,
                messages=self._window(),
                tools=[*TOOLS, ESCALATE_TOOL],
                temperature=0.2,
            )
            message = resp.choices[0].message
            if not message.tool_calls:
                break
            self.history.append(message.model_dump(exclude_none=True))
            for tool_call in message.tool_calls:
                self.history.append(run_tool_call(tool_call))
        content = message.content or ""
        self.history.append({"role": "assistant", "content": content})
        return content

    def _window(self) -> list[dict[str, Any]]:
        """System prompt plus the most recent turns."""
        return self.history[:1] + self.history[1:][-self.max_history:]
