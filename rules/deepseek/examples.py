# Examples for rules/deepseek/rules.toml. This file is scanned, never run.
# DeepSeek has no SDK distribution of its own (langchain-deepseek: langchain.dependency-deepseek).
import os

from openai import OpenAI  # expect: openai.import

client = OpenAI(api_key=os.environ["DEEPSEEK_API_KEY"])  # expect: openai.client, deepseek.env-var
NOT_ENV = "DEEPSEEK_API_KEY_NOTE"  # ok: deepseek.env-var


def ask(messages: list) -> str:
    resp = client.chat.completions.create(model="deepseek-reasoner", messages=messages)  # expect: openai.chat-completion, deepseek.model-id
    print(resp.choices[0].message.reasoning_content)  # expect: deepseek.reasoning-content
    print(resp.choices[0].message.content)  # expect: openai.response-content  # ok: deepseek.reasoning-content
    client.chat.completions.create(model="deepseek-chat", messages=messages)  # expect: openai.chat-completion, deepseek.model-id
    return resp.choices[0].message.content  # expect: openai.response-content


CODER = "deepseek-coder-v2-instruct"  # expect: deepseek.model-id
R1 = "deepseek-r1-0528"  # expect: deepseek.model-id
WEIGHTS = "deepseek-ai/DeepSeek-V3"  # expect: deepseek.open-weights-id
DEEP_SEEK = "deepseek-ing into the data"  # ok: deepseek.model-id
DISTILL = "deepseek-r1-distill-qwen-7b"  # expect: groq.model-id  # ok: deepseek.model-id
CHATTY = "deepseek-chatbot"  # ok: deepseek.model-id
ORG = "deepseek-ai/awesome-list"  # ok: deepseek.open-weights-id


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "DEEPSEEK_MODEL"  # expect: deepseek.env-var-name
SETTING_HELP = "DEEPSEEK_MODEL_HELP"  # ok: deepseek.env-var-name
SETTING_PROSE = "DEEPSEEK settings"  # ok: deepseek.env-var-name


def strip_reasoning(text: str) -> str:
    return text.split("</think>")[-1].strip()  # expect: deepseek.think-tags


STOP = ["</think>"]  # expect: deepseek.think-tags
TAGS = "<thinking-cap>"  # ok: deepseek.think-tags


def thinking_switch(messages: list, on: bool) -> None:
    extra_body: dict = {}
    extra_body.setdefault("thinking", {"type": "enabled" if on else "disabled"})  # expect: deepseek.thinking-body
    client.chat.completions.create(model=MODEL, messages=messages, extra_body=extra_body)  # expect: openai.chat-completion
    client.chat.completions.create(model=MODEL, messages=messages, extra_body={"top_k": 20})  # expect: openai.chat-completion  # ok: deepseek.thinking-body


def replay(msg) -> list:
    kept = {"role": "assistant", "content": msg.content, "reasoning_content": msg.reasoning_content}  # expect: deepseek.reasoning-content-message
    notes = {"reasoning_content": "x", "author": "me"}  # ok: deepseek.reasoning-content-message
    return [kept, notes]
