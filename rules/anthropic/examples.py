# Examples for rules/anthropic/rules.toml. Each line ending in `# expect: <ids>` must be
# reported with exactly those rules; `# ok: <id>` marks a lookalike that must not be.
# This file is scanned, never run.
import os
from typing import TYPE_CHECKING

import anthropic  # expect: anthropic.import
from anthropic import AI_PROMPT, HUMAN_PROMPT, Anthropic  # expect: anthropic.import, anthropic.legacy-prompt-constants
from anthropic import AsyncAnthropic  # expect: anthropic.import
from anthropic.types import MessageParam  # expect: anthropic.import
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
        thinking={"type": "enabled", "budget_tokens": 2048},  # expect: anthropic.thinking-dict
        top_k=5,
    )
    if response.stop_reason == "tool_use":  # expect: anthropic.stop-reason
        for block in response.content:  # expect: anthropic.response-field
            if block.type == "tool_use":  # expect: anthropic.tool-use-block
                return str(block.input)  # expect: anthropic.response-content
    return response.content[0].text  # expect: anthropic.response-content


def features(client: anthropic.Anthropic) -> None:
    client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=10, messages=[], thinking={"type": "enabled", "budget_tokens": 1024})  # expect: anthropic.messages, anthropic.model-id-floating, anthropic.extended-thinking, anthropic.thinking-dict
    client.messages.create(model=MODEL, max_tokens=10, messages=[], top_k=3)  # expect: anthropic.messages, anthropic.top-k
    client.beta.messages.create(model=MODEL, max_tokens=10, messages=[], betas=["computer-use-2025-01-24"])  # expect: anthropic.messages, anthropic.beta-features
    client.messages.create(model=MODEL, max_tokens=10, messages=[], cache_control={"type": "ephemeral"})  # expect: anthropic.messages, anthropic.prompt-caching-argument, anthropic.prompt-caching
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


def ui_event(block_id: str, output: str) -> dict:
    return {"type": "tool_result", "tool_use_id": block_id, "content": output, "status": "success"}  # ok: anthropic.tool-result


def events(stream) -> None:
    for event in stream:
        if event.type == "content_block_delta":  # expect: anthropic.stream-events
            print(event.delta)
        if event.type == "content_block":  # ok: anthropic.stream-events
            pass
        if event.type == "content_block_start":  # expect: anthropic.stream-events
            print(event.content_block.name)  # expect: anthropic.stream-shape
            print(event.delta.partial_json, event.delta.thinking)  # expect: anthropic.stream-shape
        if event.delta.type == "thinking_delta":  # expect: anthropic.stream-events
            pass


def usage(resp) -> int:
    return resp.usage.cache_read_input_tokens + resp.usage.cache_creation_input_tokens  # expect: anthropic.stream-shape


def legacy(prompt: str) -> str:
    with anthropic.Anthropic() as client:  # expect: anthropic.client
        result = client.completions.create(  # expect: anthropic.text-completions
            model="claude-2.1",  # expect: anthropic.model-id-retired
            max_tokens_to_sample=300,
            prompt=f"{HUMAN_PROMPT} {prompt}{AI_PROMPT}",
        )
    return result.completion  # expect: anthropic.response-field


def legacy_http(http, prompt: str) -> dict:
    body = {"model": "claude-instant-1.2", "prompt": prompt, "max_tokens_to_sample": 256}  # expect: anthropic.text-completions-body, anthropic.model-id-retired
    return http.post("https://api.anthropic.com/v1/complete", json=body)  # expect: anthropic.text-completions-http


MESSAGES_URL = "https://api.anthropic.com/v1/messages"  # expect: anthropic.http-endpoint  # ok: anthropic.text-completions-http
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
ENV_NAME = "ANTHROPIC_API_KEY_FILE"  # expect: anthropic.env-var-name  # ok: anthropic.env-var


def lookalikes(page, item, row) -> None:
    print(page.content[0].text)  # ok: anthropic.response-content
    if item.type == "function":  # ok: anthropic.tool-use-block
        pass
    if row.stop_reason == "done":  # ok: anthropic.stop-reason
        pass
    cache = {"ttl": 5}  # ok: anthropic.prompt-caching
    print(row.delta.content, item.block.text, page.usage.cached)  # ok: anthropic.stream-shape
    print({"type": "tool", "name": "hammer", "input": {}}, {"type": "tool_use", "name": "x"})  # ok: anthropic.forced-tool
    print("computer_vision_2024", "bash_script", "text-editor-2025-01-24")  # ok: anthropic.server-tool
    print("prompt-caching-notes", "release-2024-07-31")  # ok: anthropic.beta-name


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


# Dependency rules (checked by the manifest analyzer, not here): anthropic.dependency,
# anthropic.dependency-agent-sdk.


def beta_and_tools(client: anthropic.Anthropic, question: str) -> None:
    client.messages.create(  # expect: anthropic.messages
        model=MODEL,
        max_tokens=10,
        messages=[],
        extra_headers={"anthropic-beta": "prompt-caching-2024-07-31"},  # expect: anthropic.beta-header
    )
    client.messages.create(model=MODEL, max_tokens=10, messages=[], extra_headers={"x-request-id": "1"})  # expect: anthropic.messages  # ok: anthropic.beta-header
    client.beta.messages.create(  # expect: anthropic.messages, anthropic.beta-features
        model=MODEL,
        max_tokens=10,
        messages=[],
        tools=[
            {"type": "computer_20250124", "name": "computer", "display_width_px": 1024, "display_height_px": 768},  # expect: anthropic.server-tool
            {"type": "bash_20250124", "name": "bash"},  # expect: anthropic.server-tool
            {"type": "text_editor_20250728", "name": "str_replace_based_edit_tool"},  # expect: anthropic.server-tool
            {"type": "web_search_20250305", "name": "web_search", "max_uses": 3},  # expect: anthropic.server-tool
        ],
        betas=BETAS,
    )
    client.messages.create(model=MODEL, max_tokens=10, messages=[], tools=TOOLS, tool_choice={"type": "tool", "name": "get_weather"})  # expect: anthropic.messages, anthropic.tool-choice, anthropic.forced-tool
    client.messages.create(model=MODEL, max_tokens=10, messages=[], tools=TOOLS, tool_choice={"type": "any"})  # expect: anthropic.messages, anthropic.tool-choice
    client.messages.create(model=MODEL, max_tokens=10, messages=[{"role": "user", "content": question}])  # expect: anthropic.messages  # ok: anthropic.tool-choice


BETAS = ["computer-use-2025-01-24", "token-efficient-tools-2025-02-19"]  # ok: anthropic.beta-name


def prefill(question: str, history: list) -> None:
    client = Anthropic()  # expect: anthropic.client
    client.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": question}, {"role": "assistant", "content": "Here is the JSON:"}])  # expect: anthropic.messages, anthropic.assistant-prefill
    client.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": question}, {"role": "assistant", "content": "{"}])  # expect: anthropic.messages, anthropic.prefill-open
    turns = [{"role": "assistant", "content": "Hi"}, {"role": "user", "content": question}]  # ok: anthropic.assistant-prefill
    lone = [{"role": "assistant", "content": "Sure"}]  # ok: anthropic.assistant-prefill
    mixed = [history, {"role": "assistant", "content": "Sure"}]  # ok: anthropic.assistant-prefill
    fixture = [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi there!"}]  # ok: anthropic.assistant-prefill
    history.append(MessageParam(role="assistant", content="<json>"))  # expect: anthropic.prefill-open
    history.append({"role": "assistant", "content": "["})  # expect: anthropic.prefill-open
    history.append({"role": "assistant", "content": "{}"})  # ok: anthropic.prefill-open
    history.append({"role": "assistant", "content": "{", "tool_calls": []})  # expect: openai.tool-call-message
    history += [{"role": "user", "content": question}, {"role": "assistant", "content": "ok"}]  # ok: anthropic.assistant-prefill
    history.extend([{"role": "user", "content": question}, {"role": "assistant", "content": "ok"}])  # ok: anthropic.assistant-prefill
    everything = history + [{"role": "user", "content": question}, {"role": "assistant", "content": "ok"}]  # ok: anthropic.assistant-prefill


# The Claude Agent SDK (formerly Claude Code SDK).
from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient, query  # expect: anthropic.import-agent-sdk
import claude_agent_helpers  # ok: anthropic.import-agent-sdk


async def research(prompt: str) -> str:
    options = ClaudeAgentOptions(model="claude-sonnet-4-5", allowed_tools=["WebSearch", "Read"])  # expect: anthropic.agent-sdk-options, anthropic.model-id-floating
    async with ClaudeSDKClient(options=options) as agent:  # expect: anthropic.agent-sdk-client
        await agent.query(prompt=prompt)  # expect: anthropic.agent-sdk-query
        async for message in agent.receive_response():  # expect: anthropic.agent-sdk-query
            print(message.total_cost_usd)  # expect: anthropic.agent-sdk-result
    async for message in query(prompt=prompt, options=options):  # expect: anthropic.agent-sdk-query
        return message.result  # expect: anthropic.agent-sdk-result
    return ""


def agent_lookalikes(runner, options_cls) -> None:
    runner.query(prompt="x")  # ok: anthropic.agent-sdk-query
    options_cls(allowed_tools=[])  # ok: anthropic.agent-sdk-options, anthropic.agent-sdk-client
    print(runner.result)  # ok: anthropic.agent-sdk-result


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "ANTHROPIC_MODEL"  # expect: anthropic.env-var-name
SETTING_HELP = "ANTHROPIC_MODEL_HELP"  # ok: anthropic.env-var-name
SETTING_PROSE = "ANTHROPIC settings"  # ok: anthropic.env-var-name


# Model ids as real code writes them: Vertex's `@date` form and family names newer than
# any list.
VERTEX_CLAUDE = "claude-3-5-haiku@20241022"  # expect: anthropic.model-id
NEW_FAMILY = "claude-fable-5"  # expect: anthropic.model-id-floating
NOT_A_FAMILY = "claude-monet-paintings"  # ok: anthropic.model-id-floating


def raw_http_anthropic(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    httpx.post("https://api.anthropic.com/v1/messages", json=payload, headers=headers)  # expect: anthropic.http-endpoint
    print("https://api.anthropic.com")  # ok: anthropic.http-endpoint


def thinking_kwargs(model_kwargs: dict, blocks: list) -> None:
    model_kwargs["thinking"] = {"type": "enabled", "budget_tokens": 4096}  # expect: anthropic.thinking-dict
    model_kwargs["thinking"] = {"type": "disabled"}  # ok: anthropic.thinking-dict
    blocks[-1]["cache_control"] = {"type": "ephemeral"}  # expect: anthropic.prompt-caching
    model_kwargs["context_management"] = {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]}  # expect: anthropic.server-tool
    feature_flag = {"type": "enabled", "budget": 5}  # ok: anthropic.thinking-dict
    print(feature_flag)


def typed_tools(tool, result: str) -> list:
    return [
        anthropic.types.ToolParam(name=tool.name, description=tool.description, input_schema=tool.schema),  # expect: anthropic.tool-param
        anthropic.types.TextBlockParam(type="text", text=result),  # ok: anthropic.tool-param
    ]


def response_fields(client: Anthropic) -> None:
    reply = client.messages.create(model=MODEL, max_tokens=10, messages=[])  # expect: anthropic.messages
    print(reply.id, reply.model)  # expect: anthropic.response-field
    with client.messages.stream(model=MODEL, max_tokens=10, messages=[]) as events:  # expect: anthropic.messages
        for event in events:
            print(event.delta.text)  # expect: anthropic.response-field
    print(client.base_url)  # ok: anthropic.response-field
