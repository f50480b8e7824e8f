# Examples for rules/azure_openai/rules.toml. This file is scanned, never run.
# Azure uses the `openai` distribution: its dependency rule is openai.dependency.
import os

import openai  # expect: openai.import
from openai import AsyncAzureOpenAI, AzureOpenAI  # expect: openai.import, azure_openai.import
from openai import OpenAI  # expect: openai.import  # ok: azure_openai.import
import azure_helpers  # ok: azure_openai.import

client = AzureOpenAI(  # expect: azure_openai.client, azure_openai.deployment
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],  # expect: azure_openai.env-var
    api_version="2024-10-21",
    api_key=os.getenv("AZURE_OPENAI_API_KEY"),  # expect: azure_openai.env-var
)
plain = OpenAI()  # expect: openai.client  # ok: azure_openai.client, azure_openai.deployment
ENDPOINT = "https://acme-eastus.openai.azure.com/"  # expect: azure_openai.endpoint-url
DOCS = "see https://learn.microsoft.com/azure/ai-services/openai/"  # ok: azure_openai.endpoint-url
NAME = "AZURE_OPENAI_ENDPOINT_DOCS"  # ok: azure_openai.env-var


async def chat(messages: list) -> str:
    aclient = AsyncAzureOpenAI(azure_deployment="gpt4o-prod", azure_ad_token_provider=None)  # expect: azure_openai.client, azure_openai.deployment
    resp = await aclient.chat.completions.create(model="gpt4o-prod", messages=messages)  # expect: azure_openai.chat-completion
    client.embeddings.create(model="embed-prod", input=["x"])  # expect: azure_openai.embeddings
    client.responses.create(model="gpt4o-prod", input="hi")  # expect: azure_openai.responses
    client.beta.assistants.create(model="gpt4o-prod")  # expect: azure_openai.platform-features
    client.fine_tuning.jobs.create(model="m", training_file="f")  # expect: azure_openai.platform-features
    plain.chat.completions.create(model="m", messages=messages)  # expect: openai.chat-completion  # ok: azure_openai.chat-completion
    return resp.choices[0].message.content  # expect: openai.response-content


def legacy(messages: list) -> None:
    openai.api_type = "azure"  # expect: openai.legacy-global-config, azure_openai.legacy-api-type
    openai.api_type = "open_ai"  # expect: openai.legacy-global-config  # ok: azure_openai.legacy-api-type
    openai.ChatCompletion.create(engine="gpt35-prod", messages=messages)  # expect: openai.legacy-api, azure_openai.legacy-deployment, azure_openai.legacy-options
    openai.ChatCompletion.create(model="m", messages=messages)  # expect: openai.legacy-api  # ok: azure_openai.legacy-deployment


class LocalAzure:
    def __init__(self) -> None:
        self.chat = self.embeddings = self.files = None


def lookalikes(local: LocalAzure, settings) -> None:
    local.chat.completions.create(messages=[])  # ok: azure_openai.chat-completion
    local.embeddings.create(input=["x"])  # ok: azure_openai.embeddings
    local.files.create(file=b"")  # ok: azure_openai.platform-features
    settings.connect(api_version="2024-10-21", azure_endpoint="x")  # ok: azure_openai.deployment
    settings.responses.create(input="x")  # ok: azure_openai.responses


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "AZURE_OPENAI_EVAL_DEPLOYMENT"  # expect: azure_openai.env-var-name
SETTING_HELP = "AZURE_OPENAI_EVAL_DEPLOYMENT_HELP"  # ok: azure_openai.env-var-name
SETTING_PROSE = "AZURE_OPENAI settings"  # ok: azure_openai.env-var-name
SETTINGS_PREFIX = "AZURE_OPENAI_"  # expect: azure_openai.env-var-name
OTHER_PREFIX = "AZURE_SEARCH_"  # ok: azure_openai.env-var-name


def azure_configs(credential, deployment: str, search_endpoint: str, embed_url: str, embed_key: str, embed_model: str) -> dict:
    evaluator = {"azure_endpoint": "https://acme.openai.azure.com", "azure_deployment": deployment}  # expect: azure_openai.deployment-dict, azure_openai.endpoint-url
    other = {"deployment": deployment, "region": "eu"}  # ok: azure_openai.deployment-dict
    extra_body = {"data_sources": [{"type": "azure_search", "parameters": {"endpoint": search_endpoint}}]}  # expect: azure_openai.on-your-data
    sources = {"sources": []}  # ok: azure_openai.on-your-data
    embedding = {"type": "deployment_name", "deployment_name": "text-embedding-3-small"}  # expect: azure_openai.on-your-data-embedding, openai.embedding-model
    deploy_step = {"type": "rolling", "deployment_name": "web"}  # ok: azure_openai.on-your-data-embedding
    vectorizer = {"type": "endpoint", "endpoint": embed_url, "authentication": {"type": "api_key", "key": embed_key}}  # expect: azure_openai.on-your-data-vectorizer
    webhook = {"type": "endpoint", "endpoint": embed_url}  # ok: azure_openai.on-your-data-vectorizer
    by_model = {"type": "model_id", "model_id": embed_model}  # expect: azure_openai.on-your-data-model-id
    column = {"type": "string", "model_id": embed_model}  # ok: azure_openai.on-your-data-model-id
    scope = "https://cognitiveservices.azure.com/.default"  # expect: azure_openai.entra-scope
    graph_scope = "https://graph.microsoft.com/.default"  # ok: azure_openai.entra-scope
    return {"api_version": "2024-05-01-preview", "ga": "2024-10-21", "other": [evaluator, other, extra_body, sources, embedding, deploy_step, scope, graph_scope]}  # expect: azure_openai.preview-api-version


RELEASE = "2024-05-01-previewing"  # ok: azure_openai.preview-api-version


def legacy_azure(openai_v0, messages: list) -> None:
    openai_v0.ChatCompletion.create(messages=messages, deployment_id="gpt4")  # ok: azure_openai.legacy-options


def filtered(error) -> bool:
    if error.code == "content_filter":  # expect: azure_openai.content-filter
        return True
    return error.code == "rate_limit"  # ok: azure_openai.content-filter


def response_fields(client: AzureOpenAI) -> None:
    reply = client.chat.completions.create(model="gpt4o-prod", messages=[])  # expect: azure_openai.chat-completion
    print(reply.id, reply.created)  # expect: azure_openai.response-field
    print(client.api_key)  # ok: azure_openai.response-field


def azure_options(messages: list, dims: int, security_context: dict) -> None:
    client.embeddings.create(model="embed-prod", input=["x"], dimensions=dims)  # expect: azure_openai.embeddings, azure_openai.request-options
    args = {"model": "gpt4o-prod", "messages": messages}
    args["extra_body"] = {}
    args["extra_body"]["user_security_context"] = security_context  # expect: azure_openai.request-options
    client.chat.completions.create(**args)  # expect: azure_openai.chat-completion
    client.chat.completions.create(model="gpt4o-prod", messages=messages, temperature=0)  # expect: azure_openai.chat-completion  # ok: azure_openai.request-options
