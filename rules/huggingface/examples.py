# Examples for rules/huggingface/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): huggingface.dependency.
import os

from huggingface_hub import InferenceClient  # expect: huggingface.import
from huggingface_hub import hf_hub_download  # ok: huggingface.import
import huggingface_utils  # ok: huggingface.import

client = InferenceClient(model="meta-llama/Llama-3.1-8B-Instruct", token=os.environ["HF_TOKEN"])  # expect: huggingface.client, huggingface.env-var, llama.model-id
routed = InferenceClient(provider="together", api_key=os.getenv("HF_TOKEN"))  # expect: huggingface.client, huggingface.provider-routing, huggingface.env-var
TOKEN = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"  # expect: huggingface.hardcoded-key
NOT_TOKEN = "hf_config"  # ok: huggingface.hardcoded-key


def ask(messages: list) -> str:
    resp = client.chat_completion(messages=messages, max_tokens=200)  # expect: huggingface.chat-completion
    routed.chat.completions.create(model="x", messages=messages)  # expect: huggingface.chat-completion
    text = client.text_generation("Once upon a time", max_new_tokens=20, details=True)  # expect: huggingface.text-generation
    print(text.generated_text)  # expect: huggingface.response
    client.feature_extraction("hello")  # expect: huggingface.embeddings
    hf_hub_download(repo_id="gpt2", filename="config.json")  # ok: huggingface.text-generation
    if resp.choices[0].finish_reason == "length":  # expect: huggingface.finish-reason
        pass
    return resp.choices[0].message.content  # expect: huggingface.response


def lookalikes(local, row) -> None:
    local.chat_completion(messages=[])  # ok: huggingface.chat-completion
    local.text_generation("x")  # ok: huggingface.text-generation
    local.feature_extraction("x")  # ok: huggingface.embeddings
    local.InferenceClient(provider="x")  # ok: huggingface.client, huggingface.provider-routing
    print(row.generated_text)  # ok: huggingface.response
    if row.finish_reason == "eos":  # ok: huggingface.finish-reason
        pass
    NAME = "HF_TOKEN_PATH"  # ok: huggingface.env-var


# Hub repo ids of open-weight models, whoever serves them.
EMBEDDER = "BAAI/bge-large-en-v1.5"  # expect: huggingface.open-weights-embedding
E5 = "intfloat/multilingual-e5-large-instruct"  # expect: huggingface.open-weights-embedding
SMOL = "HuggingFaceTB/SmolLM2-1.7B-Instruct"  # expect: huggingface.open-weights-id
MINIMAX = "MiniMaxAI/MiniMax-M2.7"  # expect: huggingface.open-weights-id
NOT_A_MODEL = "BAAI/README.md"  # ok: huggingface.open-weights-embedding
ORG_PAGE = "HuggingFaceTB/"  # ok: huggingface.open-weights-id


def response_fields(client: InferenceClient) -> None:
    reply = client.chat_completion(messages=[])  # expect: huggingface.chat-completion
    print(reply.created)  # expect: huggingface.response-field
    print(client.model)  # ok: huggingface.response-field


def request_options(client: InferenceClient, settings: dict) -> None:
    client.chat_completion(messages=[], seed=settings.get("seed"), logit_bias=None)  # expect: huggingface.chat-completion, huggingface.request-options
    client.chat.completions.create(messages=[], temperature=0.1, max_tokens=64)  # expect: huggingface.chat-completion  # ok: huggingface.request-options
