# Examples for rules/fireworks/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): fireworks.dependency.
import os

import fireworks.client  # expect: fireworks.import
from fireworks import Fireworks  # expect: fireworks.import
import fireworks_display  # ok: fireworks.import

client = Fireworks(api_key=os.environ["FIREWORKS_API_KEY"])  # expect: fireworks.client, fireworks.env-var
NOT_ENV = "FIREWORKS_API_KEY_HINT"  # ok: fireworks.env-var


def ask(messages: list) -> str:
    resp = client.chat.completions.create(model="accounts/fireworks/models/llama-v3p1-70b-instruct", messages=messages)  # expect: fireworks.chat-completion, fireworks.model-id
    client.chat.completions.create(model="accounts/acme/models/support-ft-v2", messages=messages)  # expect: fireworks.chat-completion, fireworks.fine-tuned-model
    fireworks.client.ChatCompletion.create(model=MODEL, messages=messages)  # expect: fireworks.chat-completion
    if resp.choices[0].finish_reason == "stop":  # expect: fireworks.finish-reason
        pass
    return resp.choices[0].message.content  # expect: fireworks.response


MODEL = "accounts/fireworks/models/qwen2p5-72b-instruct"  # expect: fireworks.model-id
KEY = "fw_3ZabcdefghijklmnopqrstuvWXYZ"  # expect: fireworks.hardcoded-key
ACCOUNTS = "accounts/acme/settings"  # ok: fireworks.model-id, fireworks.fine-tuned-model
NOT_KEY = "fw_id"  # ok: fireworks.hardcoded-key


def lookalikes(local, page) -> None:
    local.chat.completions.create(messages=[])  # ok: fireworks.chat-completion
    local.Fireworks()  # ok: fireworks.client
    if local.finish_reason == "eos":  # ok: fireworks.finish-reason
        pass
    print(page.choices[0].text)  # expect: openai.response-content  # ok: fireworks.response


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "FIREWORKS_MODEL"  # expect: fireworks.env-var-name
SETTING_HELP = "FIREWORKS_MODEL_HELP"  # ok: fireworks.env-var-name
SETTING_PROSE = "FIREWORKS settings"  # ok: fireworks.env-var-name

PROVIDER_STRING = "fireworks/accounts/fireworks/models/llama-v3p1-8b-instruct"  # expect: fireworks.model-id
