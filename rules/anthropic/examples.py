# Examples for rules/anthropic/rules.toml. Each line ending in `# expect: <ids>` must be
# reported with exactly those rules; `# ok: <id>` marks a lookalike that must not be.
# This file is scanned, never run.
import os
from typing import TYPE_CHECKING

import anthropic  # expect: anthropic.import
from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic  # expect: anthropic.import, anthropic.legacy-prompt-constants
from anthropic import AsyncAnthropic  # expect: anthropic.import
import anthropic_helpers  # ok: anthropic.import

if TYPE_CHECKING:
    from anthropic.types import Message  # expect: anthropic.import

TOOLS = [
    {  # expect: anthropic.tool-schema
        "name": "get_weather",
        "description": "Weather for a city",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
]
SCHEMA_DOC = {"name": "weather", "schema": {}}  # ok: anthropic.tool-schema


def make() -> Anthropic:
    return Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])  # expect: anthropic.client, anthropic.env-var


def ask(question: str) -> str:
    response = make().messages.create(  # expect: anthropic.messages, anthropic.extended-thinking, anthropic.top-k
        model="claude-sonnet-4-20250514",  # expect: anthropic.model-id
        max_tokens=1024,
        system=[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],  # expect: anthropic.prompt-caching
        tools=TOOLS,
        messages=[{"role": "user", "content": question}],
        thinking={"type": "enabled", "budget_tokens": 2048},
        top_k=5,
    )
    if response.stop_reason == "tool_use":  # expect: anthropic.stop-reason
        for block in response.content:
            if block.type == "tool_use":  # expect: anthropic.tool-use-block
                return str(block.input)  # expect: anthropic.response-content
    return response.content[0].text  # expect: anthropic.response-content


def features(client: anthropic.Anthropic) -> None:
    client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=10, messages=[], thinking={"type": "enabled", "budget_tokens": 1024})  # expect: anthropic.messages, anthropic.model-id-floating, anthropic.extended-thinking
    client.messages.create(model=MODEL, max_tokens=10, messages=[], top_k=3)  # expect: anthropic.messages, anthropic.top-k
    client.beta.messages.create(model=MODEL, max_tokens=10, messages=[], betas=["computer-use-2025-01-24"])  # expect: anthropic.messages, anthropic.beta-features
    client.messages.create(model=MODEL, max_tokens=10, messages=[], cache_control={"type": "ephemeral"})  # expect: anthropic.messages, anthropic.prompt-caching-argument
    client.messages.count_tokens(model=MODEL, messages=[])  # expect: anthropic.count-tokens
    client.messages.batches.create(requests=[])  # expect: anthropic.message-batches
    client.beta.files.upload(file=open("doc.pdf", "rb"))  # expect: anthropic.files
    client.models.list()  # ok: anthropic.messages
    with client.messages.stream(model=MODEL, max_tokens=10, messages=[]) as stream:  # expect: anthropic.messages
        for text in stream.text_stream:  # expect: anthropic.response-content
            print(text)
        print(stream.get_final_message())  # expect: anthropic.response-content


def tool_result(block_id: str, output: str) -> dict:
    return {"type": "tool_result", "tool_use_id": block_id, "content": output}  # expect: anthropic.tool-result


def events(stream) -> None:
    for event in stream:
        if event.type == "content_block_delta":  # expect: anthropic.stream-events
            print(event.delta)
        if event.type == "content_block":  # ok: anthropic.stream-events
            pass


def legacy(prompt: str) -> str:
    with anthropic.Anthropic() as client:  # expect: anthropic.client
        result = client.completions.create(  # expect: anthropic.text-completions
            model="claude-2.1",  # expect: anthropic.model-id-retired
            max_tokens_to_sample=300,
            prompt=f"{HUMAN_PROMPT} {prompt}{AI_PROMPT}",
        )
    return result.completion


def legacy_http(http, prompt: str) -> dict:
    body = {"model": "claude-instant-1.2", "prompt": prompt, "max_tokens_to_sample": 256}  # expect: anthropic.text-completions-body, anthropic.model-id-retired
    return http.post("https://api.anthropic.com/v1/complete", json=body)  # expect: anthropic.text-completions-http


MESSAGES_URL = "https://api.anthropic.com/v1/messages"  # ok: anthropic.text-completions-http
MESSAGES_BODY = {"model": MODEL, "max_tokens": 256, "messages": []}  # ok: anthropic.text-completions-body
NOT_RETIRED = "claude-3-haiku-20240307"  # expect: anthropic.model-id  # ok: anthropic.model-id-retired


async def cloud() -> None:
    bedrock = anthropic.AnthropicBedrock(aws_region="us-east-1")  # expect: anthropic.cloud-client
    await AsyncAnthropic().messages.create(model=MODEL, max_tokens=5, messages=[])  # expect: anthropic.client, anthropic.messages
    bedrock.messages.create(model="anthropic.claude-3-5-sonnet-20241022-v2:0", max_tokens=5, messages=[])  # expect: anthropic.messages, bedrock.model-id


MODEL = "claude-opus-4-1-20250805"  # expect: anthropic.model-id
ALIAS = "claude-haiku-4-5"  # expect: anthropic.model-id-floating
PROSE = "claude-like answers are what we want"  # ok: anthropic.model-id-floating
SHANNON = "Claude Shannon founded information theory"  # ok: anthropic.model-id-floating
KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345"  # expect: anthropic.hardcoded-key
NOT_KEY = "sk-ant-short"  # ok: anthropic.hardcoded-key
PLACEHOLDER = "sk-ant-api03-your-api-key-here"  # ok: anthropic.hardcoded-key
ENV_NAME = "ANTHROPIC_API_KEY_FILE"  # ok: anthropic.env-var


def lookalikes(page, item, row) -> None:
    print(page.content[0].text)  # ok: anthropic.response-content
    if item.type == "function":  # ok: anthropic.tool-use-block
        pass
    if row.stop_reason == "done":  # ok: anthropic.stop-reason
        pass
    cache = {"ttl": 5}  # ok: anthropic.prompt-caching


class LocalLLM:
    """A repo's own wrapper with the same method names: not the vendor SDK."""

    messages = None


def same_names_elsewhere(local: LocalLLM, session) -> None:
    Anthropic_like = LocalLLM()  # ok: anthropic.client, anthropic.cloud-client
    local.messages.count_tokens(messages=[])  # ok: anthropic.count-tokens
    local.messages.batches.create(requests=[])  # ok: anthropic.message-batches
    local.files.upload(file=b"")  # ok: anthropic.files
    local.completions.create(prompt="x")  # ok: anthropic.text-completions
    local.messages.create(thinking=True, top_k=3, betas=[], cache_control={})  # ok: anthropic.extended-thinking, anthropic.top-k, anthropic.beta-features, anthropic.prompt-caching-argument
    session.post("/complete", json={"type": "tool_result", "id": "x"})  # ok: anthropic.tool-result
    HUMAN = "Human"  # ok: anthropic.legacy-prompt-constants
    VERSION = "claude-3-notes-v2"  # ok: anthropic.model-id


# Dependency rules (checked by the manifest analyzer, not here): anthropic.dependency.


def prefill(question: str, history: list) -> None:
    client = Anthropic()  # expect: anthropic.client
    client.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": question}, {"role": "assistant", "content": "{"}])  # expect: anthropic.messages, anthropic.assistant-prefill
    turns = [{"role": "assistant", "content": "Hi"}, {"role": "user", "content": question}]  # ok: anthropic.assistant-prefill
    lone = [{"role": "assistant", "content": "{"}]  # ok: anthropic.assistant-prefill
    mixed = [history, {"role": "assistant", "content": "{"}]  # ok: anthropic.assistant-prefill
    history += [{"role": "user", "content": question}, {"role": "assistant", "content": "ok"}]  # ok: anthropic.assistant-prefill
    history.extend([{"role": "user", "content": question}, {"role": "assistant", "content": "ok"}])  # ok: anthropic.assistant-prefill
    everything = history + [{"role": "user", "content": question}, {"role": "assistant", "content": "ok"}]  # ok: anthropic.assistant-prefill
