# Examples for rules/xai/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): xai.dependency.
import os

from xai_sdk import Client  # expect: xai.import
from xai_sdk.chat import system, tool_result, user  # expect: xai.import
from xai_sdk.search import SearchParameters  # expect: xai.import
import xai_tools  # ok: xai.import

client = Client(api_key=os.getenv("XAI_API_KEY"))  # expect: xai.client, xai.env-var
NOT_ENV = "XAI_API_KEY_HINT"  # ok: xai.env-var


def ask(question: str) -> str:
    chat = client.chat.create(model="grok-4", search_parameters=SearchParameters(mode="auto"))  # expect: xai.chat, xai.model-id, xai.live-search
    chat.append(system("Be brief."))  # expect: xai.chat, xai.message-helpers
    chat.append(user(question))  # expect: xai.chat, xai.message-helpers
    response = chat.sample()  # expect: xai.chat
    chat.append(tool_result("42"))  # expect: xai.chat, xai.message-helpers
    return response.content  # expect: xai.response-field


PINNED = "grok-2-1212"  # expect: xai.model-id
FAST = "grok-4-fast-reasoning"  # expect: xai.model-id
KEY = "xai-0123456789abcdefghijABCDEFGHIJ0123456789abcdef"  # expect: xai.hardcoded-key
GROKKING = "grok-the-concept"  # ok: xai.model-id
NOT_KEY = "xai-docs"  # ok: xai.hardcoded-key


def lookalikes(local) -> None:
    local.chat.create(model="x").sample()  # ok: xai.chat
    local.user("x")  # ok: xai.message-helpers
    local.search.SearchParameters()  # ok: xai.live-search
    local.Client()  # ok: xai.client


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "XAI_MODEL"  # expect: xai.env-var-name
SETTING_HELP = "XAI_MODEL_HELP"  # ok: xai.env-var-name
SETTING_PROSE = "XAI settings"  # ok: xai.env-var-name

FAST = "grok-4-1-fast-non-reasoning-latest"  # expect: xai.model-id

LIVE = {"search_parameters": {"mode": "auto", "sources": [{"type": "web"}]}}  # expect: xai.search-dict
QUERY = {"search": "grok", "parameters": {}}  # ok: xai.search-dict


def response_fields() -> None:
    print(client.api_key)  # ok: xai.response-field
