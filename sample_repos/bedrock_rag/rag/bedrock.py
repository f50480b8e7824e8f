"""Everything that talks to Bedrock."""

from __future__ import annotations

import json

import boto3

from rag.settings import settings

session = boto3.Session(region_name=settings.aws_region)
client = session.client("bedrock-runtime")
CHAT_MODEL = "us.anthropic.claude-3-5-sonnet-20241022-v2:0"

SEARCH_TOOL = {
    "toolSpec": {
        "name": "search_docs",
        "description": "Search the document index.",
        "inputSchema": {"json": {"type": "object", "properties": {"query": {"type": "string"}}}},
    }
}


def answer(question: str, context: list[str]) -> str:
    messages = [{"role": "user", "content": [{"text": "\n".join(context) + "\n\n" + question}]}]
    response = client.converse(
        modelId=CHAT_MODEL,
        messages=messages,
        inferenceConfig={"maxTokens": 800, "temperature": 0.1},
        toolConfig={"tools": [SEARCH_TOOL]},
        guardrailConfig={"guardrailIdentifier": settings.guardrail_id, "guardrailVersion": "1"},
    )
    if response["stopReason"] == "tool_use":
        return ""
    return response["output"]["message"]["content"][0]["text"]


def tool_result(tool_use_id: str, hits: list[str]) -> dict:
    return {"toolResult": {"toolUseId": tool_use_id, "content": [{"json": {"hits": hits}}]}}


def summarize(text: str) -> str:
    body = json.dumps({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 300,
        "messages": [{"role": "user", "content": f"Summarize:\n{text}"}],
    })
    raw = client.invoke_model(modelId=CHAT_MODEL, body=body)
    return json.loads(raw["body"].read())["content"][0]["text"]
