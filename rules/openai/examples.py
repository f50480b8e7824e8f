# Examples for rules/openai/rules.toml. Each line ending in `# expect: <ids>` must be
# reported with exactly those rules; `# ok: <id>` marks a lookalike that must not be.
# This file is scanned, never run.
import os
from typing import TYPE_CHECKING

import openai  # expect: openai.import
import openai as oa  # expect: openai.import
from openai import OpenAI as C  # expect: openai.import
from openai import AsyncOpenAI, OpenAI  # expect: openai.import
import my_openai_utils  # ok: openai.import

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion  # expect: openai.import
    openai.chat.completions.create(model="x", messages=[])  # ok: openai.chat-completion

TOOLS = [
    {  # expect: openai.tool-schema
        "type": "function",
        "function": {"name": "get_weather", "parameters": {"type": "object"}},
    },
    {"type": "function", "name": "lookup", "parameters": {}, "strict": True},  # expect: openai.responses-tool-schema
]
AST_NODE = {"type": "function", "name": "visit", "args": []}  # ok: openai.responses-tool-schema
PERSON = {"name": "alice", "parameters": ["x"]}  # ok: openai.tool-schema
NOT_A_TOOL = {"type": "function", "function": "summarise"}  # ok: openai.tool-schema


def make_tool(name: str) -> dict:
    return dict(type="function", function={"name": name, "parameters": {}})  # expect: openai.tool-schema


client = OpenAI()  # expect: openai.client
legacy_client = oa.OpenAI(api_key=os.environ["OPENAI_API_KEY"])  # expect: openai.client, openai.env-var
other = C()  # expect: openai.client
org = os.getenv("OPENAI_ORG_ID")  # expect: openai.env-var
LABEL = "OPENAI_API_KEY_HELP"  # ok: openai.env-var
# A project's own names, given to a client: set for OpenAI, whatever they are called.
own_key = OpenAI(api_key=os.environ["ACME_LLM_KEY"])  # expect: openai.client, openai.env-var
ACME_URL = os.getenv("ACME_LLM_URL")  # expect: openai.env-var
own_url = OpenAI(base_url=ACME_URL)  # expect: openai.client
not_a_client = dict(api_key=os.environ["ACME_LLM_KEY"])  # ok: openai.env-var


def chat(prompt: str) -> str:
    resp = client.chat.completions.create(  # expect: openai.chat-completion
        model="gpt-4o-mini",  # expect: openai.model-id-floating
        messages=[{"role": "user", "content": prompt}],
        tools=TOOLS,
    )
    choice = resp.choices[0]  # expect: openai.response-field
    if choice.finish_reason == "tool_calls":  # expect: openai.finish-reason
        for call in choice.message.tool_calls:  # expect: openai.tool-calls-access
            print(call.function.arguments)  # expect: openai.tool-calls-access
    print(resp.usage.prompt_tokens)  # expect: openai.usage-tokens
    return resp.choices[0].message.content  # expect: openai.response-content


def reply_with(client: OpenAI, text: str) -> None:
    client.chat.completions.with_raw_response.create(model="gpt-4o-2024-08-06", messages=[])  # expect: openai.chat-completion, openai.model-id
    client.completions.create(model="gpt-3.5-turbo-instruct", prompt=text)  # expect: openai.legacy-completion, openai.model-id-floating


def tool_message(call_id: str, result: str) -> dict:
    return {"role": "tool", "tool_call_id": call_id, "content": result}  # expect: openai.tool-result-message


def not_tool_message(call_id: str) -> dict:
    return {"role": "user", "tool_call_id": call_id}  # ok: openai.tool-result-message


class Agent:
    def __init__(self) -> None:
        self.client = AsyncOpenAI()  # expect: openai.client

    async def run(self, messages: list) -> str:
        resp = await self.client.chat.completions.create(model=MODEL, messages=messages, seed=7, n=2)  # expect: openai.chat-completion, openai.seed, openai.n-choices
        return resp.choices[0].message.content  # expect: openai.response-content

    async def structured(self, messages: list) -> object:
        await self.client.chat.completions.create(model=MODEL, messages=messages, response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {}}})  # expect: openai.chat-completion, openai.structured-output, openai.structured-output-dict
        await self.client.chat.completions.create(model=MODEL, messages=messages, response_format={"type": "json_object"})  # expect: openai.chat-completion, openai.json-mode, openai.json-mode-dict
        await self.client.chat.completions.create(model=MODEL, messages=messages, logprobs=True, logit_bias={"50256": -100})  # expect: openai.chat-completion, openai.logprobs, openai.logit-bias
        await self.client.chat.completions.create(model="o3-mini", messages=messages, reasoning_effort="low")  # expect: openai.chat-completion, openai.reasoning-effort, openai.model-id-floating
        parsed = await self.client.beta.chat.completions.parse(model=MODEL, messages=messages)  # expect: openai.chat-completion, openai.parse-helper
        return parsed.choices[0].message.parsed  # expect: openai.response-content


MODEL = "gpt-4.1"  # expect: openai.model-id-floating
PROSE = "We compared GPT-4o with other models in 2024."  # ok: openai.model-id-floating
FT_MODEL = "ft:gpt-4o-mini-2024-07-18:acme:support:9aBcD3ef"  # expect: openai.fine-tuned-model
EMBED_MODEL = "text-embedding-3-small"  # expect: openai.embedding-model
NOT_EMBED = "text-embedding-custom"  # ok: openai.embedding-model
NOT_FT = "ft: not a model id"  # ok: openai.fine-tuned-model
NOT_PINNED = "gpt-4o-reviewed-2024"  # ok: openai.model-id, openai.model-id-floating
KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"  # expect: openai.hardcoded-key
NOT_KEY = "sk-short"  # ok: openai.hardcoded-key
PLACEHOLDER = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"  # ok: openai.hardcoded-key


def embed(texts: list[str]) -> list[list[float]]:
    resp = client.embeddings.create(model=EMBED_MODEL, input=texts)  # expect: openai.embeddings
    return [item.embedding for item in resp.data]  # expect: openai.embedding-vector


def unrelated_data(rows) -> list:
    return [row.embedding for row in rows.data]  # ok: openai.embedding-vector


def stateful() -> None:
    first = client.responses.create(model=MODEL, input="hi", store=True)  # expect: openai.responses, openai.previous-response-id
    client.responses.create(model=MODEL, input="more", previous_response_id=first.id)  # expect: openai.responses, openai.previous-response-id, openai.response-field
    client.responses.parse(model=MODEL, input="x")  # expect: openai.responses, openai.parse-helper
    client.responses.create(model=MODEL, input="plain")  # expect: openai.responses  # ok: openai.previous-response-id


def platform_features() -> None:
    assistant = client.beta.assistants.create(model=MODEL, instructions="x")  # expect: openai.assistants
    client.beta.threads.runs.create_and_poll(thread_id="t", assistant_id=assistant.id)  # expect: openai.assistants
    client.files.create(file=open("train.jsonl", "rb"), purpose="fine-tune")  # expect: openai.files, openai.platform-call
    client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file="file-1")  # expect: openai.fine-tuning, openai.model-id, openai.platform-call
    client.batches.create(input_file_id="file-1", endpoint="/v1/chat/completions", completion_window="24h")  # expect: openai.batches, openai.platform-call
    client.images.generate(model="dall-e-3", prompt="a cat")  # expect: openai.images, openai.model-id-floating
    client.audio.transcriptions.create(model="whisper-1", file=open("a.mp3", "rb"))  # expect: openai.audio, openai.model-id-floating
    client.moderations.create(input="text")  # expect: openai.moderations
    client.realtime.connect(model=MODEL)  # expect: openai.realtime
    client.models.list()  # expect: openai.platform-call  # ok: openai.chat-completion


def legacy_v0(prompt: str) -> str:
    openai.api_key = "set-elsewhere"  # expect: openai.legacy-global-config
    openai.api_base = "https://example.invalid/v1"  # expect: openai.legacy-global-config
    resp = openai.ChatCompletion.create(model=MODEL, messages=[])  # expect: openai.legacy-api
    openai.Completion.create(model="text-davinci-003", prompt=prompt)  # expect: openai.legacy-api
    openai.Image.create(prompt=prompt)  # expect: openai.images
    return resp["choices"][0]["message"]["content"]  # expect: openai.response-content


class Settings:
    openai = None  # ok: openai.legacy-global-config


def lookalikes(settings: Settings, data: dict, client) -> None:
    openai = settings.openai  # ok: openai.import
    openai.api_key = "x"  # ok: openai.legacy-global-config
    client.chat(data)  # ok: openai.chat-completion
    if data["state"] == "stop":  # ok: openai.finish-reason
        pass
    print(data["choice"]["message"])  # ok: openai.response-content
    print(data["message"]["tool_call"])  # ok: openai.tool-calls-access
    print(data["usage"]["input"])  # ok: openai.usage-tokens


class LocalClient:
    """A repo's own client class with the same method names: not the vendor SDK."""

    def __init__(self) -> None:
        self.beta = self.files = self.batches = self.fine_tuning = self.images = None


def same_names_elsewhere(local: LocalClient, requests_session, payload: dict) -> None:
    local_client = LocalClient()  # ok: openai.client
    local_client.embeddings.create(input=["x"])  # ok: openai.embeddings
    local.beta.assistants.create(model="x")  # ok: openai.assistants
    local.files.create(file=b"")  # ok: openai.files, openai.platform-call
    local.fine_tuning.jobs.create(model="x")  # ok: openai.fine-tuning
    local.batches.create(input_file_id="f")  # ok: openai.batches
    local.images.generate(prompt="x")  # ok: openai.images
    local.audio.speech.create(input="x")  # ok: openai.audio
    local.moderations.create(input="x")  # ok: openai.moderations
    local.realtime.connect()  # ok: openai.realtime
    local.responses.create(input="x")  # ok: openai.responses
    local.completions.create(prompt="x")  # ok: openai.legacy-completion
    local.ChatCompletion.create(messages=[])  # ok: openai.legacy-api
    requests_session.post("/chat", json=payload, seed=1, n=2, logprobs=True, logit_bias={})  # ok: openai.seed, openai.n-choices, openai.logprobs, openai.logit-bias
    local.chat.completions.parse(response_format={"type": "json_schema"})  # ok: openai.parse-helper, openai.structured-output
    local.chat.completions.create(response_format={"type": "json_object"}, reasoning_effort="low")  # expect: openai.json-mode-dict  # ok: openai.json-mode, openai.reasoning-effort


def plain_requests(messages: list) -> None:
    client.chat.completions.create(model=MODEL, messages=messages, response_format={"type": "text"})  # expect: openai.chat-completion  # ok: openai.structured-output, openai.json-mode


def request_options(messages: list, tools: list, schema: dict, provider_kwargs: dict) -> None:
    client.chat.completions.create(model="o4-mini", messages=messages, max_completion_tokens=800, parallel_tool_calls=False)  # expect: openai.chat-completion, openai.request-options, openai.model-id-floating
    client.chat.completions.create(model=MODEL, messages=messages, stream=True, stream_options={"include_usage": True})  # expect: openai.chat-completion, openai.request-options, openai.stream-usage-dict
    client.chat.completions.create(model=MODEL, messages=messages, store=True, metadata={"team": "x"})  # expect: openai.chat-completion, openai.chat-store
    client.chat.completions.create(model=MODEL, messages=messages, temperature=0.2, max_tokens=100)  # expect: openai.chat-completion  # ok: openai.request-options, openai.chat-store
    client.embeddings.create(model=EMBED_MODEL, input=["a"], dimensions=1024, encoding_format="float")  # expect: openai.embeddings, openai.embedding-options
    client.embeddings.create(model=EMBED_MODEL, input=["a"])  # expect: openai.embeddings  # ok: openai.embedding-options
    client.responses.create(model=MODEL, input="x", include=["reasoning.encrypted_content"], prompt_cache_key="u1")  # expect: openai.responses, openai.request-options
    client.responses.create(model=MODEL, input="x", text={"format": {"type": "json_schema", "name": "r", "schema": schema}})  # expect: openai.responses, openai.responses-structured-output
    client.responses.create(model=MODEL, input="x", text={"verbosity": "low"})  # expect: openai.responses  # ok: openai.responses-structured-output
    kwargs = {"model": MODEL, "reasoning_effort": "high", "max_completion_tokens": 4000}  # expect: openai.options-dict, openai.max-completion-tokens-dict
    provider_kwargs["reasoning_effort"] = "high"  # expect: openai.options-dict
    provider_kwargs["max_completion_tokens"] = 4000  # expect: openai.max-completion-tokens-dict
    effort = provider_kwargs["reasoning_effort"]  # ok: openai.options-dict
    settings = {"effort": "high", "max_tokens": 10, "usage": True}  # ok: openai.options-dict, openai.max-completion-tokens-dict, openai.stream-usage-dict
    fmt = {"type": "json_object"}  # expect: openai.json-mode-dict
    together_fmt = {"type": "json_object", "schema": schema}  # expect: together.json-schema-dict  # ok: openai.json-mode-dict
    shape = {"type": "object", "json_schema": None}  # ok: openai.structured-output-dict
    return kwargs, settings, fmt, together_fmt, shape


def legacy_functions(messages: list, functions: list) -> None:
    resp = client.chat.completions.create(model=MODEL, messages=messages, functions=functions, function_call={"name": "lookup"})  # expect: openai.chat-completion, openai.legacy-functions, openai.forced-function-call
    call = resp.choices[0].message.function_call.name  # expect: openai.tool-calls-access
    print(resp.choices[0].message.function_call.arguments)  # expect: openai.tool-calls-access
    request_message = {"function_call": {"name": "x"}}
    print(request_message["function_call"])  # ok: openai.tool-calls-access
    openai.ChatCompletion.create(model=MODEL, messages=messages, functions=functions)  # expect: openai.legacy-api, openai.legacy-functions
    client.chat.completions.create(model=MODEL, messages=messages, tools=functions)  # expect: openai.chat-completion  # ok: openai.legacy-functions, openai.forced-function-call
    return [
        {"role": "assistant", "content": None, "function_call": {"name": "lookup", "arguments": "{}"}},  # expect: openai.legacy-function-call-message
        {"role": "function", "name": "lookup", "content": "42"},  # expect: openai.legacy-function-message
        {"role": "assistant", "function_call": "auto"},  # ok: openai.legacy-function-call-message
        {"role": "user", "name": "ann", "content": "hi"},  # ok: openai.legacy-function-message
    ]


def responses_api(tool_output: str) -> str:
    resp = client.responses.create(model=MODEL, input="x")  # expect: openai.responses
    for item in resp.output:  # expect: openai.responses-output
        if item.type == "function_call":  # expect: openai.responses-output, openai.responses-item-type
            print(item.arguments, item.call_id)  # expect: openai.responses-output
        elif item.type == "reasoning":  # expect: openai.responses-output, openai.responses-item-type
            pass
    follow_up = [
        {"type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{}"},  # expect: openai.responses-tool-call-item
        {"type": "function_call_output", "call_id": "c1", "output": tool_output},  # expect: openai.responses-tool-output
        {"type": "function_call_output", "result": tool_output},  # ok: openai.responses-tool-output
        {"type": "function_call", "name": "lookup", "args": {}},  # ok: openai.responses-tool-call-item
    ]
    with client.responses.stream(model=MODEL, input=follow_up) as stream:  # expect: openai.responses
        for event in stream:
            if event.type == "response.output_text.delta":  # expect: openai.responses-events
                print(event.delta)  # expect: openai.response-field
            elif event.type == "response.completed":  # expect: openai.responses-events
                break
    STATUS = "response.sent"  # ok: openai.responses-events
    if follow_up[0]["kind"] == "message":  # ok: openai.responses-item-type
        pass
    print(STATUS)
    return resp.output_text  # expect: openai.responses-output


def usage_details(resp) -> int:
    cached = resp.usage.prompt_tokens_details.cached_tokens  # expect: openai.usage-tokens
    print(resp.output, resp.output_tokens)  # ok: openai.responses-output
    return cached + resp.usage.completion_tokens_details.reasoning_tokens  # expect: openai.usage-tokens


# Dependency rules (checked by the manifest analyzer, not here): openai.dependency.
from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    openai_api_key: str  # expect: openai.env-var
    openai_base_url: str | None = None  # expect: openai.env-var
    openai_embed_dimensions: int = 1536  # expect: openai.env-var
    model: str = "gpt-4o"  # expect: openai.model-id-floating


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")
    openai_api_key: str  # ok: openai.env-var


class ChildSettings(Settings):
    openai_org_id: str = ""  # expect: openai.env-var


class Payload(BaseModel):
    openai_api_key: str  # ok: openai.env-var


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "OPENAI_EMBEDDING_MODEL"  # expect: openai.env-var-name
SETTING_HELP = "OPENAI_EMBEDDING_MODEL_HELP"  # ok: openai.env-var-name
SETTING_PROSE = "OPENAI settings"  # ok: openai.env-var-name
HOST_SWITCH = "OPENAI_CHAT_HOST"  # ok: openai.env-var-name


# The OpenAI Agents SDK (module `agents`): only its OpenAI-named entry points.
from agents import Agent, OpenAIResponsesModel, Runner  # expect: openai.agents-sdk
from agents import function_tool  # ok: openai.agents-sdk


def build_agent(openai_client: AsyncOpenAI) -> Agent:
    model = OpenAIResponsesModel(model="gpt-5.4", openai_client=openai_client)  # expect: openai.agents-sdk-model, openai.model-id-floating
    return Agent(name="search", model=model, tools=[function_tool(print)])  # ok: openai.agents-sdk-model


# Model ids as real code writes them: newer family members, Azure's spelling, dated
# previews, ids in lists and display strings, and family prefixes in name tests.
MODELS_BY_TIER = {"fast": "gpt-5.4-mini", "deep": "gpt-5.2", "old": "gpt-4-0125-preview"}  # expect: openai.model-id-floating, openai.model-id
AZURE_NAME = "gpt-35-turbo-16k"  # expect: openai.model-id-floating
VISION_SNAPSHOT = "gpt-4-1106-vision-preview"  # expect: openai.model-id
REALTIME = "gpt-realtime-mini"  # expect: openai.model-id-floating
OPEN_WEIGHTS = "gpt-oss"  # expect: openai.model-id-floating


def is_reasoning(model: str) -> bool:
    return any(model.startswith(prefix) for prefix in ["o1-", "o3.", "gpt-5-"])  # expect: openai.model-family-prefix


SEPARATORS = ["gpt", "o-", "-"]  # ok: openai.model-family-prefix
GPT_NEXT = "gpt-3"  # ok: openai.model-id-floating
LABEL = "gpt-5 (low thinking)"  # expect: openai.model-id-floating
ALLOWED = """\ngpt-4o\ngpt-4.1-mini\n"""  # todo: openai.model-id-floating
PROSE_PAREN = "gpt-5 (see the appendix for the full comparison table)"  # ok: openai.model-id-floating


def raw_http_openai(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.post("https://api.openai.com/v1/chat/completions", json=payload, headers=headers)  # expect: openai.http-endpoint
    print("https://api.openai.com/v1")  # ok: openai.http-endpoint


def responses_kwargs(previous_id: str, user_key: str) -> dict:
    return {"previous_response_id": previous_id, "prompt_cache_key": user_key, "parallel_tool_calls": False}  # expect: openai.previous-response-id-dict, openai.prompt-cache-key-dict, openai.parallel-tool-calls-dict


LOOKALIKE_KWARGS = {"previous_id": 1, "cache_key": 2, "parallel_calls": 3}  # ok: openai.previous-response-id-dict, openai.prompt-cache-key-dict, openai.parallel-tool-calls-dict


CALL = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}  # expect: openai.tool-schema


def history_with_tool_calls(resp, call_id: str) -> list:
    from openai.types.chat.chat_completion_chunk import ChoiceDeltaToolCall, ChoiceDeltaToolCallFunction  # expect: openai.import

    delta_call = ChoiceDeltaToolCall(index=0, id=call_id, type="function", function=ChoiceDeltaToolCallFunction(name="f", arguments="{}"))  # expect: openai.tool-objects
    return [
        {"role": "assistant", "content": None, "tool_calls": [CALL]},  # expect: openai.tool-call-message
        {"role": "user", "content": "next", "attachments": []},  # ok: openai.tool-call-message
        {"role": resp.role, "tool_calls": resp.tool_calls},  # ok: openai.tool-call-message
        openai.types.chat.ChatCompletionUserMessageParam(role="user", content="x"),  # ok: openai.tool-objects
        delta_call,
    ]


def response_fields(client: OpenAI) -> None:
    reply = client.chat.completions.create(model=MODEL, messages=[])  # expect: openai.chat-completion
    print(reply.system_fingerprint)  # expect: openai.response-field
    print(client.base_url)  # ok: openai.response-field


def spread_request(messages: list, schema_format: dict, dims: int, retry) -> object:
    # Options written into a dict that is spread into the call count as its keywords,
    # reported where the dict entry is written.
    params = {"model": MODEL, "messages": messages}
    params["seed"] = 7  # expect: openai.seed
    params["response_format"] = schema_format  # expect: openai.response-format
    params["reasoning"] = {"effort": "low"}  # expect: openai.reasoning-effort
    params["reasoning"]["summary"] = "auto"  # expect: openai.reasoning-effort
    params.update({"store": False})  # expect: openai.chat-store
    params["temperature"] = 0.2  # ok: openai.request-options
    client.chat.completions.create(**params)  # expect: openai.chat-completion
    unsent = {"seed": 7, "logprobs": True}  # ok: openai.seed, openai.logprobs
    print(unsent)
    embed_kwargs = {"input": ["a"], "encoding_format": "float"}  # expect: openai.embedding-options
    if dims:
        embed_kwargs["dimensions"] = dims  # expect: openai.embedding-options
    client.embeddings.create(**embed_kwargs)  # expect: openai.embeddings
    # A helper handed the vendor method sends the spread options to it.
    options = {}
    options["top_logprobs"] = 3  # expect: openai.logprobs
    retry(client.beta.chat.completions.parse, messages=messages, **options)  # expect: openai.chat-completion, openai.parse-helper
    return client.chat.completions.create(model=MODEL, messages=messages, response_format=schema_format)  # expect: openai.chat-completion, openai.response-format


class RequestBuilder:
    def request_params(self) -> dict:
        built: dict = {}
        built["max_output_tokens"] = 512  # expect: openai.request-options
        built["text"] = {"format": {"type": "json_object"}}  # expect: openai.responses-text-format-dict, openai.json-mode-dict
        block = {"type": "text", "text": {"content": "hi"}}  # ok: openai.responses-text-format-dict
        print(block)
        return built

    def ask(self, text: str) -> object:
        kwargs = self.request_params()
        return client.responses.create(input=text, **kwargs)  # expect: openai.responses


def json_mode_literal(messages: list) -> None:
    client.chat.completions.create(messages=messages, response_format={"type": "json_object"})  # expect: openai.chat-completion, openai.json-mode, openai.json-mode-dict  # ok: openai.response-format


def choice_messages(response, chunk, poll) -> tuple:
    message = response.choices[0].message  # expect: openai.choice-message
    print(response.choices[0].message.role)  # expect: openai.choice-message
    print(response.choices[0].message.tool_calls)  # expect: openai.tool-calls-access  # ok: openai.choice-message
    delta = chunk.choices[0].delta  # expect: openai.choice-message
    answer = poll.choices[0].label  # ok: openai.choice-message
    return message, delta, answer
