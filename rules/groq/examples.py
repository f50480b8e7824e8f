# Examples for rules/groq/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): groq.dependency.
import os

from groq import AsyncGroq, Groq  # expect: groq.import
import groq_helpers  # ok: groq.import

client = Groq(api_key=os.environ["GROQ_API_KEY"])  # expect: groq.client, groq.env-var
NOT_ENV = "GROQ_API_KEY_DOCS"  # ok: groq.env-var


async def ask(messages: list) -> str:
    aclient = AsyncGroq()  # expect: groq.client
    resp = await aclient.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)  # expect: groq.chat-completion, groq.model-id
    print(resp.x_groq)  # expect: groq.response
    client.chat.completions.create(model="deepseek-r1-distill-llama-70b", messages=messages, reasoning_format="parsed")  # expect: groq.chat-completion, groq.model-id, groq.reasoning-format
    client.chat.completions.create(model=MODEL, messages=messages, temperature=0)  # expect: groq.chat-completion  # ok: groq.reasoning-format
    client.audio.transcriptions.create(model="whisper-large-v3-turbo", file=b"")  # expect: groq.audio-and-batch, groq.model-id
    if resp.choices[0].finish_reason == "tool_calls":  # expect: groq.finish-reason
        pass
    return resp.choices[0].message.content  # expect: groq.response


MODEL = "llama3-70b-8192"  # expect: groq.model-id
KEY = "gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCD"  # expect: groq.hardcoded-key
NOT_KEY = "gsk_short"  # ok: groq.hardcoded-key
PROSE = "llama-3 is versatile"  # ok: groq.model-id
WHISPER = "whisper-large"  # ok: groq.model-id


def lookalikes(local, page) -> None:
    local.chat.completions.create(messages=[], reasoning_format="x")  # ok: groq.chat-completion, groq.reasoning-format
    local.audio.transcriptions.create(file=b"")  # ok: groq.audio-and-batch
    local.Groq()  # ok: groq.client
    print(page.x_groq_id)  # ok: groq.response
    if page.finish_reason == "length":  # expect: openai.finish-reason  # ok: groq.finish-reason
        pass


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "GROQ_API_BASE_URL"  # expect: groq.env-var-name
SETTING_HELP = "GROQ_API_BASE_URL_HELP"  # ok: groq.env-var-name
SETTING_PROSE = "GROQ settings"  # ok: groq.env-var-name

SCOUT = "llama-4-scout-17b-16e-instruct"  # expect: groq.model-id


def response_fields(client: Groq) -> None:
    reply = client.chat.completions.create(model=MODEL, messages=[])  # expect: groq.chat-completion
    print(reply.id)  # expect: groq.response-field
    print(client.api_key)  # ok: groq.response-field


def structured(messages: list, response_format: dict) -> None:
    client.chat.completions.create(model=MODEL, messages=messages, response_format=response_format)  # expect: groq.chat-completion, groq.response-format
    client.chat.completions.create(model=MODEL, messages=messages, temperature=0)  # expect: groq.chat-completion  # ok: groq.response-format
