# Examples for rules/mistral/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): mistral.dependency.
import os

from mistralai import Mistral  # expect: mistral.import
from mistralai.client import MistralClient  # expect: mistral.import
from mistralai.models.chat_completion import ChatMessage  # expect: mistral.import
import mistral_common_utils  # ok: mistral.import

client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])  # expect: mistral.client, mistral.env-var
legacy = MistralClient(api_key=os.getenv("MISTRAL_API_KEY"))  # expect: mistral.legacy-client, mistral.env-var
NOT_ENV = "MISTRAL_API_KEY_DOCS"  # ok: mistral.env-var


def chat(messages: list) -> str:
    resp = client.chat.complete(  # expect: mistral.chat, mistral.random-seed, mistral.safe-prompt  # ok: mistral.legacy-chat
        model="mistral-large-latest",  # expect: mistral.model-id-floating
        messages=messages,
        random_seed=42,
        safe_prompt=True,
    )
    if resp.choices[0].finish_reason == "model_length":  # expect: mistral.finish-reason
        pass
    for event in client.chat.stream(model="mistral-small-2409", messages=messages):  # expect: mistral.chat, mistral.model-id
        print(event.data.choices[0].delta.content)  # expect: mistral.response
    client.chat.complete(model="magistral-medium-2506", messages=messages, prompt_mode="reasoning")  # expect: mistral.chat, mistral.model-id, mistral.prompt-mode
    client.chat.parse(model="ministral-8b-latest", messages=messages, response_format=dict)  # expect: mistral.chat, mistral.model-id-floating
    client.embeddings.create(model="mistral-embed", inputs=["a"])  # expect: mistral.embeddings, mistral.embedding-model
    client.fim.complete(model="codestral-2501", prompt="def f(", suffix="return x")  # expect: mistral.fim, mistral.model-id
    client.agents.complete(agent_id="ag:123", messages=messages)  # expect: mistral.agents
    client.beta.conversations.start(agent_id="ag:123", inputs="hi")  # expect: mistral.agents
    client.ocr.process(model="mistral-ocr-latest", document={})  # expect: mistral.platform-features, mistral.model-id-floating
    client.fine_tuning.jobs.create(model="open-mistral-7b", training_files=[])  # expect: mistral.platform-features
    client.chat.complete(model=MODEL, messages=messages, seed=1)  # expect: mistral.chat  # ok: mistral.random-seed
    return resp.choices[0].message.content  # expect: mistral.response


def legacy_chat(question: str) -> str:
    msgs = [ChatMessage(role="user", content=question)]  # expect: mistral.legacy-client
    resp = legacy.chat(model="mistral-tiny", messages=msgs, safe_mode=True, random_seed=1)  # expect: mistral.legacy-chat, mistral.model-id-floating, mistral.safe-prompt, mistral.random-seed  # ok: mistral.chat
    legacy.embeddings(model="mistral-embed", input=[question])  # expect: mistral.embeddings, mistral.embedding-model
    legacy.completion(model="codestral-latest", prompt="x", suffix="y")  # expect: mistral.fim, mistral.model-id-floating
    legacy.jobs.create(model="open-mistral-7b", training_files=[])  # expect: mistral.platform-features
    return resp.choices[0].message.content  # expect: mistral.response


MODEL = "open-mistral-nemo"  # expect: mistral.model-id-floating
FT = "ft:open-mistral-7b:587a6b29:20240514:7e773925"  # expect: mistral.fine-tuned-model  # ok: openai.fine-tuned-model
PROSE = "mistral winds blow in the Rhone valley"  # ok: mistral.model-id-floating, mistral.model-id
WIND = "mistral"  # ok: mistral.model-id-floating
TICKET = "mistral-large-ticket-1234"  # ok: mistral.model-id
NOT_FT = "ft:acme"  # ok: mistral.fine-tuned-model
EMBED_NAME = "mistral-embedded-systems"  # ok: mistral.embedding-model


def lookalikes(local, row) -> None:
    local.chat.complete(messages=[], random_seed=1, safe_prompt=True, prompt_mode="x")  # ok: mistral.chat, mistral.random-seed, mistral.safe-prompt, mistral.prompt-mode
    local.embeddings.create(inputs=[])  # ok: mistral.embeddings
    local.fim.complete(prompt="x")  # ok: mistral.fim
    local.agents.complete(agent_id="x")  # ok: mistral.agents
    local.ocr.process(document={})  # ok: mistral.platform-features
    local.Mistral()  # ok: mistral.client
    local.MistralClient()  # ok: mistral.legacy-client
    for event in local.stream():
        print(event.data.choices)  # ok: mistral.response
    if row.finish_reason == "stop":  # expect: openai.finish-reason  # ok: mistral.finish-reason
        pass


WEIGHTS = "mistralai/Mistral-7B-Instruct-v0.3"  # expect: mistral.open-weights-id
ORG_REPO = "mistralai/client-python"  # ok: mistral.open-weights-id


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "MISTRAL_API_BASE_URL"  # expect: mistral.env-var-name
SETTING_HELP = "MISTRAL_API_BASE_URL_HELP"  # ok: mistral.env-var-name
SETTING_PROSE = "MISTRAL settings"  # ok: mistral.env-var-name

MEDIUM = ["mistral-medium-3", "mistral-medium-3.5"]  # expect: mistral.model-id-floating
NOT_MEDIUM = "mistral-medium-rare"  # ok: mistral.model-id-floating


def raw_http_mistral(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.post("https://api.mistral.ai/v1/chat/completions", json=payload, headers=headers)  # expect: mistral.http-endpoint
    print("https://docs.mistral.ai")  # ok: mistral.http-endpoint


def mistral_typed(call_id: str, result: str) -> list:
    from mistralai.models import FunctionCall, ToolCall, ToolMessage, UserMessage  # expect: mistral.import

    call = ToolCall(id=call_id, function=FunctionCall(name="lookup", arguments="{}"))  # expect: mistral.tool-objects
    message = ToolMessage(tool_call_id=call_id, name="lookup", content=result)  # expect: mistral.tool-objects
    return [call, message, UserMessage(content=result)]  # ok: mistral.tool-objects


def response_fields(client: Mistral) -> None:
    reply = client.chat.complete(model=MODEL, messages=[])  # expect: mistral.chat
    print(reply.usage)  # expect: mistral.response-field
    print(client.sdk_configuration)  # ok: mistral.response-field
