# Examples for rules/together/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): together.dependency.
import os

from together import Together  # expect: together.import
import togetherness  # ok: together.import

client = Together(api_key=os.getenv("TOGETHER_API_KEY"))  # expect: together.client, together.env-var
NOT_ENV = "TOGETHER_API_KEY_URL"  # expect: together.env-var-name  # ok: together.env-var


def ask(messages: list) -> str:
    resp = client.chat.completions.create(model="meta-llama/Llama-3.3-70B-Instruct-Turbo", messages=messages)  # expect: together.chat-completion, together.model-id
    vectors = client.embeddings.create(model="togethercomputer/m2-bert-80M-8k-retrieval", input=["a"])  # expect: together.embeddings, together.model-id
    print(vectors.data[0].embedding)  # expect: together.response
    client.fine_tuning.create(training_file="file-1", model="x")  # expect: together.platform-features, together.platform-call
    client.rerank.create(model="Salesforce/Llama-Rank-V1", query="q", documents=[])  # expect: together.platform-features, huggingface.open-weights-id, together.platform-call
    if resp.choices[0].finish_reason == "length":  # expect: together.finish-reason
        pass
    return resp.choices[0].message.content  # expect: together.response


TURBO = "turbo-charged"  # ok: together.model-id
REPO = "acme/widgets"  # ok: together.model-id


def lookalikes(local, page) -> None:
    local.chat.completions.create(messages=[])  # ok: together.chat-completion
    local.embeddings.create(input=[])  # ok: together.embeddings
    local.fine_tuning.create(model="x")  # ok: together.platform-features
    local.Together()  # ok: together.client
    if page.finish_reason == "eos":  # ok: together.finish-reason
        pass
    print(page.choices[0].message.content)  # expect: openai.response-content  # ok: together.response


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "TOGETHER_API_BASE_URL"  # expect: together.env-var-name
SETTING_HELP = "TOGETHER_API_BASE_URL_HELP"  # ok: together.env-var-name
SETTING_PROSE = "TOGETHER settings"  # ok: together.env-var-name
__all__ = ["TOGETHER_MODEL", "TOGETHER_BASE_URL"]  # ok: together.env-var-name, together.env-var
ADAPTER = "acme/Meta-Llama-3.1-8B-Instruct-Reference-support-bot-4224205a"  # expect: together.fine-tuned-model
REFERENCE_DOC = "acme/Reference-manual"  # ok: together.fine-tuned-model


def together_platform(video_url: str, schema: dict, local_client) -> None:
    client.files.upload("train.jsonl", check=True)  # expect: together.platform-features, together.platform-call
    client.fine_tuning.create(training_file="file-1", model=BASE_MODEL)  # expect: together.platform-features, together.platform-call
    parts = [{"type": "text", "text": "describe"}, {"type": "video_url", "video_url": {"url": video_url}}]  # expect: together.video-input
    fmt = {"type": "json_object", "schema": schema}  # expect: together.json-schema-dict
    image = {"type": "image_url", "image_url": {"url": video_url}}  # ok: together.video-input, together.json-schema-dict
    local_client.files.upload("x")  # ok: together.platform-call
    print(parts, fmt, image)


BASE_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"  # expect: llama.model-id


def response_fields(client: Together) -> None:
    ranked = client.rerank.create(model=MODEL, query="q", documents=[])  # expect: together.platform-features, together.platform-call
    print(ranked.results[0].relevance_score)  # expect: together.response-field
    print(client.api_key)  # ok: together.response-field
