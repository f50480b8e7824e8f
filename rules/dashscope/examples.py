# Examples for rules/dashscope/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): dashscope.dependency.
import os
from http import HTTPStatus

import dashscope  # expect: dashscope.import
from dashscope import Generation, TextEmbedding  # expect: dashscope.import
import dashscope_mock  # ok: dashscope.import

dashscope.api_key = os.environ["DASHSCOPE_API_KEY"]  # expect: dashscope.api-key-global, dashscope.env-var
NOT_ENV = "DASHSCOPE_API_KEY_URL"  # expect: dashscope.env-var-name  # ok: dashscope.env-var


def ask(messages: list) -> str:
    resp = Generation.call(model="qwen-plus", messages=messages, result_format="message")  # expect: dashscope.generation, dashscope.model-id, dashscope.result-format
    if resp.status_code != HTTPStatus.OK:
        raise RuntimeError(resp.message)
    dashscope.Generation.call(model="qwen-max-2025-01-25", prompt="hi")  # expect: dashscope.generation, dashscope.model-id  # ok: dashscope.result-format
    emb = TextEmbedding.call(model="text-embedding-v3", input=["a"])  # expect: dashscope.embeddings, dashscope.embedding-model
    print(emb.output.embeddings)  # expect: dashscope.response
    dashscope.TextReRank.call(model="gte-rerank", query="q", documents=[])  # expect: dashscope.other-services
    return resp.output.choices[0].message.content  # expect: dashscope.response


QWEN_HF = "Qwen2.5-7B"  # ok: dashscope.model-id
NOT_EMBED = "text-embedding-3-small-v2"  # ok: dashscope.embedding-model
PROSE = "qwen-plus is our default"  # ok: dashscope.model-id


def lookalikes(local, page) -> None:
    local.Generation.call(model="x", result_format="message")  # ok: dashscope.generation, dashscope.result-format
    local.TextEmbedding.call(input=[])  # ok: dashscope.embeddings
    local.TextReRank.call(query="q")  # ok: dashscope.other-services
    local.api_key = "x"  # ok: dashscope.api-key-global
    print(page.output.path)  # ok: dashscope.response
    print(page.output.text)  # ok: dashscope.response


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "QWEN_API_KEY"  # expect: dashscope.env-var-name
SETTING_HELP = "QWEN_API_KEY_HELP"  # ok: dashscope.env-var-name
SETTING_PROSE = "QWEN settings"  # ok: dashscope.env-var-name

EXTRA_BODY = {"enable_thinking": True, "thinking_budget": 2048}  # expect: dashscope.thinking-dict
FEATURE_FLAGS = {"enable_search_ui": True}  # ok: dashscope.thinking-dict


def qwen_thinking(messages: list, budget: int) -> None:
    from openai import OpenAI  # expect: openai.import

    qwen = OpenAI(base_url="https://dashscope.aliyuncs.com/compatible-mode/v1")  # expect: openai.client@dashscope
    params = {"model": "qwen-plus", "messages": messages}  # expect: dashscope.model-id
    params["extra_body"] = {"enable_thinking": True}  # expect: dashscope.thinking-dict
    params["extra_body"]["thinking_budget"] = budget  # expect: dashscope.thinking-body@dashscope
    qwen.chat.completions.create(**params)  # expect: openai.chat-completion@dashscope
    qwen.chat.completions.create(messages=messages, extra_body={"top_k": 20})  # expect: openai.chat-completion@dashscope  # ok: dashscope.thinking-body
