"""LLM - the Labelling Lifecycle Manager.

Moves tasks between queues on the Open Annotation Interface and pings
annotators in the task chat when something has been waiting too long.
"""
from __future__ import annotations

import logging
import time
from typing import Any

import requests

from no_vendor.config import ServerSettings

log = logging.getLogger(__name__)


class OpenAI:
    """Minimal REST client for the Open Annotation Interface (our labelling server)."""

    def __init__(self, base_url: str, token: str, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Token {token}"})

    def tasks(self, queue: str) -> list[dict[str, Any]]:
        resp = self.session.get(f"{self.base_url}/api/queues/{queue}/tasks", timeout=10)
        resp.raise_for_status()
        return resp.json()["tasks"]

    def move(self, task_id: int, queue: str) -> None:
        resp = self.session.post(f"{self.base_url}/api/tasks/{task_id}/move", json={"queue": queue}, timeout=10)
        resp.raise_for_status()

    def chat(self, task_id: int, text: str) -> dict[str, Any]:
        """Post a message into the task's discussion thread."""
        resp = self.session.post(f"{self.base_url}/api/tasks/{task_id}/chat", json={"text": text}, timeout=10)
        resp.raise_for_status()
        return resp.json()


def nudge_stale_tasks(client: OpenAI, queue: str, max_age_h: float = 24.0) -> int:
    """Remind the assignee of every task older than ``max_age_h`` hours."""
    now = time.time()
    nudged = 0
    for task in client.tasks(queue):
        age_h = (now - task["updated_at"]) / 3600
        if age_h > max_age_h and task.get("assignee"):
            client.chat(task["id"], f"@{task['assignee']} this task has been idle for {age_h:.0f}h.")
            nudged += 1
    return nudged


def promote_reviewed(settings: ServerSettings) -> int:
    """Move reviewed tasks to the export queue and tell the reviewers."""
    client = OpenAI(settings.url, settings.token, session=requests.Session())
    moved = 0
    for task in client.tasks("review"):
        if task.get("review_state") == "approved":
            client.move(task["id"], "export")
            client.chat(task["id"], "Approved and queued for export - thanks!")
            moved += 1
    log.info("promoted %d tasks in %s", moved, settings.project)
    return moved
