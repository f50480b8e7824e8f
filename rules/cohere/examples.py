# Examples for rules/cohere/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): cohere.dependency.
import os

import cohere  # expect: cohere.import
from cohere import ClientV2  # expect: cohere.import
import cohere_utils  # ok: cohere.import

co = cohere.Client(api_key=os.environ["CO_API_KEY"])  # expect: cohere.client-v1, cohere.env-var  # ok: cohere.client
co2 = ClientV2(os.getenv("COHERE_API_KEY"))  # expect: cohere.client, cohere.env-var  # ok: cohere.client-v1
NOT_ENV = "CO_API_KEYS_README"  # ok: cohere.env-var

V1_TOOLS = [
    {  # expect: cohere.tool-schema-v1
        "name": "query_db",
        "description": "Run a query",
        "parameter_definitions": {"sql": {"description": "SQL", "type": "str", "required": True}},
    }
]
PARAMS = {"name": "x", "parameters": {"a": 1}}  # ok: cohere.tool-schema-v1
HISTORY = [
    {"role": "USER", "message": "Hi"},
    {"role": "CHATBOT", "message": "Hello"},  # expect: cohere.chatbot-role
    {"role": "assistant", "message": "Hello"},  # ok: cohere.chatbot-role
    {"role": "chatbot_admin", "message": "x"},  # ok: cohere.chatbot-role
]


def v1(question: str) -> str:
    resp = co.chat(  # expect: cohere.chat-v1, cohere.v1-chat-arguments, cohere.connectors
        model="command-r-plus-08-2024",  # expect: cohere.model-id
        message=question,
        preamble="You answer briefly.",
        chat_history=HISTORY,
        connectors=[{"id": "web-search"}],
    )
    results = [{"call": call, "outputs": [{"rows": 3}]} for call in resp.tool_calls]  # expect: cohere.tool-results-v1, cohere.response
    co.chat(message="", tools=V1_TOOLS, tool_results=results)  # expect: cohere.chat-v1, cohere.tool-results-argument
    if resp.finish_reason == "COMPLETE":  # expect: cohere.finish-reason
        print(resp.citations)  # expect: cohere.response
    vectors = co.embed(model="embed-english-v3.0", texts=[question], input_type="search_query")  # expect: cohere.embed-v1, cohere.embedding-model, cohere.embed-input-type  # ok: cohere.embed
    co.rerank(model="rerank-english-v3.0", query=question, documents=["a"])  # expect: cohere.rerank-v1, cohere.embedding-model  # ok: cohere.rerank
    print(vectors.embeddings)  # expect: cohere.response-field
    return resp.text  # expect: cohere.response


def v2(messages: list, docs: list) -> str:
    resp = co2.chat(model="command-a-03-2025", messages=messages, documents=docs)  # expect: cohere.chat-v2, cohere.model-id, cohere.documents-citations
    print(resp.message.tool_plan)  # expect: cohere.response, cohere.v2-message-shape
    emb = co2.embed(model="embed-v4.0", texts=["a"], input_type="search_document", embedding_types=["float"])  # expect: cohere.embed, cohere.embedding-model, cohere.embed-input-type  # ok: cohere.embed-v1
    print(emb.embeddings.float_)  # expect: cohere.v2-message-shape  # ok: cohere.response
    co2.rerank(model="rerank-v3.5", query="q", documents=docs)  # expect: cohere.rerank, cohere.embedding-model  # ok: cohere.rerank-v1
    co.datasets.create(name="train", data=b"")  # expect: cohere.platform-features
    co2.chat(model="command-r", messages=messages)  # expect: cohere.chat-v2, cohere.model-id  # ok: cohere.documents-citations
    return resp.message.content[0].text  # expect: cohere.response


PROSE = "command the army"  # ok: cohere.model-id
CLI_WORD = "command"  # ok: cohere.model-id
COMMAND = "command-line"  # ok: cohere.model-id
EMBED = "embed-youtube-v2"  # ok: cohere.embedding-model
PAIR = {"call": "x"}  # ok: cohere.tool-results-v1


def lookalikes(local, page) -> None:
    local.chat(message="x", preamble="y", connectors=[], tool_results=[], documents=[])  # ok: cohere.chat-v1, cohere.v1-chat-arguments, cohere.connectors, cohere.tool-results-argument, cohere.documents-citations
    local.chat(messages=[])  # ok: cohere.chat-v2
    local.embed(texts=[], input_type="x")  # ok: cohere.embed, cohere.embed-input-type
    local.rerank(query="q")  # ok: cohere.rerank
    local.datasets.create(name="x")  # ok: cohere.platform-features
    print(page.text)  # ok: cohere.response
    print(page.message.body)  # ok: cohere.v2-message-shape
    if page.finish_reason == "done":  # ok: cohere.finish-reason
        pass
    local.Client()  # ok: cohere.client


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "COHERE_MULTILINGUAL_API_KEY"  # expect: cohere.env-var-name
SETTING_HELP = "COHERE_MULTILINGUAL_API_KEY_HELP"  # ok: cohere.env-var-name
SETTING_PROSE = "COHERE settings"  # ok: cohere.env-var-name


def raw_http_cohere(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.post("https://api.cohere.com/v2/chat", json=payload, headers=headers)  # expect: cohere.http-endpoint
    print("https://cohere.com/pricing")  # ok: cohere.http-endpoint


def cohere_shapes(stream, response, texts: list) -> dict:
    for event in stream:
        if event.type == "content-delta":  # expect: cohere.stream-events
            print(event.delta.message.content.text)  # expect: cohere.v2-message-shape
        elif event.type == "message-end":  # expect: cohere.stream-events
            pass
        elif event.type == "delta":  # ok: cohere.stream-events
            pass
    print(response.meta.billed_units.input_tokens)  # expect: cohere.v2-message-shape
    print(response.meta.units.input)  # ok: cohere.v2-message-shape
    form = {"texts": texts, "type": "search_document"}  # ok: cohere.embed-body
    print(form)
    return {"texts": texts, "input_type": "search_document", "model": "embed-v4.0"}  # expect: cohere.embed-body, cohere.embedding-model


from cohere import ToolCallV2, ToolCallV2Function, ToolChatMessageV2, ToolV2, UserChatMessageV2  # expect: cohere.import


def cohere_typed(call_id: str, result: str) -> list:
    return [
        ToolV2(type="function", function={"name": "lookup", "parameters": {}}),  # expect: cohere.tool-objects-v2
        ToolCallV2(id=call_id, type="function", function=ToolCallV2Function(name="lookup", arguments="{}")),  # expect: cohere.tool-objects-v2
        ToolChatMessageV2(role="tool", tool_call_id=call_id, content=result),  # expect: cohere.tool-objects-v2
        UserChatMessageV2(role="user", content=result),  # ok: cohere.tool-objects-v2
    ]


def response_fields(client: cohere.ClientV2, reply: cohere.V2ChatResponse) -> None:
    print(reply.usage.billed_units)  # expect: cohere.response-field
    print(client.api_key)  # ok: cohere.response-field


def request_options(messages: list, response_format: dict) -> None:
    co2.chat(model=MODEL_V2, messages=messages, seed=3, strict_tools=True)  # expect: cohere.chat-v2, cohere.request-options
    params: dict = {}
    params["response_format"] = response_format  # expect: cohere.request-options
    co2.chat(model=MODEL_V2, messages=messages, **params)  # expect: cohere.chat-v2
    co2.chat(model=MODEL_V2, messages=messages, temperature=0.3)  # expect: cohere.chat-v2  # ok: cohere.request-options


MODEL_V2 = "command-a-03-2025"  # expect: cohere.model-id
