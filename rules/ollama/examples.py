# Examples for rules/ollama/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): ollama.dependency.
import os

import ollama  # expect: ollama.import
from ollama import AsyncClient, Client, chat  # expect: ollama.import
import ollama_stub  # ok: ollama.import

client = Client(host=os.environ["OLLAMA_HOST"])  # expect: ollama.client, ollama.env-var
NOT_ENV = "OLLAMA_HOST_DOC"  # ok: ollama.env-var


def ask(question: str) -> str:
    resp = ollama.chat(  # expect: ollama.chat, ollama.options, ollama.format
        model="llama3.1:8b",  # expect: ollama.model-tag
        messages=[{"role": "user", "content": question}],
        options={"num_ctx": 8192, "temperature": 0},
        format="json",
    )
    chat(model=MODEL, messages=[], keep_alive="10m", think=True)  # expect: ollama.chat, ollama.options, ollama.think
    out = client.generate(model="qwen2.5-coder:7b", prompt=question)  # expect: ollama.chat, ollama.model-tag
    print(out.response)  # expect: ollama.response
    for part in ollama.chat(model=MODEL, messages=[], stream=True):  # expect: ollama.chat
        print(part["message"]["content"])  # expect: ollama.response
    vectors = ollama.embed(model="nomic-embed-text:latest", input=["a"])  # expect: ollama.embeddings, ollama.model-tag
    print(vectors.embeddings)  # expect: ollama.response
    ollama.pull("gemma3:4b")  # expect: ollama.model-management, ollama.model-tag, ollama.management-call
    client.chat(model=MODEL, messages=[])  # expect: ollama.chat  # ok: ollama.options, ollama.format
    return resp["message"]["content"]  # expect: ollama.response


async def ask_async() -> None:
    await AsyncClient().chat(model=MODEL, messages=[])  # expect: ollama.client, ollama.chat


MODEL = "deepseek-r1:14b"  # expect: ollama.model-tag
TIME = "llama:noon"  # ok: ollama.model-tag
URL = "mistral:7b is in the docs"  # ok: ollama.model-tag
REDIS = "redis:7-alpine"  # ok: ollama.model-tag


def lookalikes(local, page) -> None:
    local.chat(model="x", options={}, keep_alive=1, format="json", think=True)  # ok: ollama.chat, ollama.options, ollama.format, ollama.think
    local.embed(input=[])  # ok: ollama.embeddings
    local.pull("x")  # ok: ollama.model-management
    local.Client(host="x")  # ok: ollama.client
    print(page["message"]["content"])  # ok: ollama.response


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "OLLAMA_CHAT_MODEL"  # expect: ollama.env-var-name
SETTING_HELP = "OLLAMA_CHAT_MODEL_HELP"  # ok: ollama.env-var-name
SETTING_PROSE = "OLLAMA settings"  # ok: ollama.env-var-name


# Untagged Ollama library names.
CHAT_MODEL = "llama3.1"  # expect: ollama.model-name
EMBED_MODEL = "nomic-embed-text"  # expect: ollama.model-name
FAMILY = "mistral"  # ok: ollama.model-name
CHECKPOINT = "qwen3"  # ok: ollama.model-name
LLAMA_DOCS = "llama3.1-notes"  # ok: ollama.model-name


def raw_http_ollama(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.post("http://localhost:11434/api/generate", json=payload)  # expect: ollama.http-endpoint
    print("http://localhost:11434")  # ok: ollama.http-endpoint


def ollama_store(local) -> dict:
    ollama.pull("nomic-embed-text")  # expect: ollama.model-management, ollama.management-call, ollama.model-name
    print(ollama.list())  # expect: ollama.management-call
    local.list()  # ok: ollama.management-call
    return {"model": "llama3.1", "options": {"num_ctx": 8192, "temperature": 0}, "keep_alive": "5m"}  # expect: ollama.model-name


def response_fields(client: Client) -> None:
    reply = client.chat(model=MODEL, messages=[])  # expect: ollama.chat
    print(reply.eval_duration)  # expect: ollama.response-field
    print(client._client)  # ok: ollama.response-field
