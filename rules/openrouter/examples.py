# Examples for rules/openrouter/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): openrouter.dependency.
import os

from openrouter import OpenRouter  # expect: openrouter.import
import openrouter_tools  # ok: openrouter.import

client = OpenRouter(api_key=os.getenv("OPENROUTER_API_KEY"))  # expect: openrouter.client, openrouter.env-var
NOT_ENV = "OPENROUTER_API_KEY_HELP"  # ok: openrouter.env-var


def ask(messages: list) -> object:
    client.chat.send(model="anthropic/claude-3.5-sonnet", messages=messages)  # expect: openrouter.chat, openrouter.model-id
    client.chat.send(model="meta-llama/llama-3.1-70b-instruct:free", messages=messages, provider={"order": ["together"]})  # expect: openrouter.chat, openrouter.model-id, openrouter.routing
    client.embeddings.generate(model="openai/text-embedding-3-small", input=["a"])  # expect: openrouter.chat, litellm.model-openai
    return client.chat.send(model="openrouter/auto", messages=messages)  # expect: openrouter.chat, openrouter.model-id


GROK = "x-ai/grok-4"  # expect: openrouter.model-id
GEMINI = "google/gemini-2.5-flash"  # expect: openrouter.model-id
KEY = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef"  # expect: openrouter.hardcoded-key  # ok: openai.hardcoded-key
HF_REPO = "google/gemma-2-9b-it"  # expect: gemma.model-id  # ok: openrouter.model-id
TIME = "docs/setup:free"  # ok: openrouter.model-id
CAPS = "mistralai/Mistral-7B-Instruct-v0.3"  # expect: mistral.open-weights-id  # ok: openrouter.model-id
NOT_KEY = "sk-or-v1-short"  # ok: openrouter.hardcoded-key


def lookalikes(local) -> None:
    local.chat.send(message="hi", provider="x")  # ok: openrouter.chat, openrouter.routing
    local.OpenRouter()  # ok: openrouter.client


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "OPENROUTER_FALLBACK_MODEL"  # expect: openrouter.env-var-name
SETTING_HELP = "OPENROUTER_FALLBACK_MODEL_HELP"  # ok: openrouter.env-var-name
# An app's own knob filed under the vendor says neither where nor what the vendor is.
RATE_LIMIT = "OPENROUTER_LIMIT_RPS"  # ok: openrouter.env-var-name
SETTING_PROSE = "OPENROUTER settings"  # ok: openrouter.env-var-name


def openrouter_extras(models: list) -> dict:
    headers = {"HTTP-Referer": "https://acme.example", "X-Title": "Acme"}  # expect: openrouter.attribution-header
    newer = {"HTTP-Referer": "https://acme.example", "X-OpenRouter-Title": "Acme"}  # expect: openrouter.attribution-header-new
    plain = {"Referer": "https://acme.example", "Title": "Acme"}  # ok: openrouter.attribution-header, openrouter.attribution-header-new
    routing = {"models": models, "route": "fallback"}  # expect: openrouter.fallback-dict
    trip = {"route": "scenic"}  # ok: openrouter.fallback-dict
    return {"h": [headers, newer, plain], "r": [routing, trip]}


def reasoning(message) -> list:
    print(message.reasoning, message.details)  # ok: openrouter.reasoning-details
    return message.reasoning_details  # expect: openrouter.reasoning-details


def fallback_models(messages: list, models: list, model: str, route: str) -> None:
    from openai import OpenAI  # expect: openai.import

    router = OpenAI(base_url="https://openrouter.ai/api/v1")  # expect: openai.client@openrouter
    params = {"model": model, "messages": messages}
    params["extra_body"] = {"models": models}  # expect: openrouter.routing-body@openrouter
    params["extra_body"]["route"] = route  # expect: openrouter.routing-body@openrouter
    router.chat.completions.create(**params)  # expect: openai.chat-completion@openrouter
    router.chat.completions.create(messages=messages, extra_body={"usage": {"include": True}})  # expect: openai.chat-completion@openrouter  # ok: openrouter.routing-body

