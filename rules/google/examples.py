# Examples for rules/google/rules.toml. Each line ending in `# expect: <ids>` must be
# reported with exactly those rules; `# ok: <id>` marks a lookalike that must not be.
# This file is scanned, never run.
#
# Dependency rules (checked by the manifest analyzer, not here): google.dependency-genai,
# google.dependency-generativeai, google.dependency-vertexai.
import os

import google.generativeai as legacy_genai  # expect: google.import-generativeai
import vertexai  # expect: google.import-vertexai
from google import genai  # expect: google.import-genai
from google.genai import types  # expect: google.import-genai
from vertexai.generative_models import GenerativeModel, Part, Tool, grounding  # expect: google.import-vertexai
from vertexai.language_models import TextEmbeddingModel  # expect: google.import-vertexai
import google_helpers  # ok: google.import-genai, google.import-generativeai
import vertexai_utils  # ok: google.import-vertexai
from google.cloud import storage  # ok: google.import-vertexai

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])  # expect: google.client, google.env-var
vertex_client = genai.Client(vertexai=True, project="p", location="us-central1")  # expect: google.client
key = os.getenv("GOOGLE_API_KEY")  # expect: google.env-var
project = os.getenv("GOOGLE_CLOUD_PROJECT")  # ok: google.env-var
HELP = "GOOGLE_API_KEY_HELP"  # ok: google.env-var

TOOLS = [
    {  # expect: google.tool-schema
        "function_declarations": [
            {"name": "get_weather", "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING"}}}},  # expect: google.schema-upper-type
        ]
    }
]
REST_TOOLS = [{"functionDeclarations": [{"name": "f", "parameters": {}}]}]  # expect: google.tool-schema-rest
JSON_SCHEMA = {"type": "object", "properties": {}}  # ok: google.schema-upper-type
DECLARATIONS = {"function_names": ["a"]}  # ok: google.tool-schema
SEARCH_TOOL = {"google_search": {}}  # expect: google.grounding-dict
SEARCH_FORM = {"query": "x", "engine": "google"}  # ok: google.grounding-dict


def generate(prompt: str) -> str:
    config = types.GenerateContentConfig(  # expect: google.safety-settings, google.thinking-config, google.structured-output, google.cached-content
        system_instruction="Be brief.",
        safety_settings=[types.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_NONE")],  # expect: google.harm-category
        thinking_config=types.ThinkingConfig(thinking_budget=512),
        response_mime_type="application/json",
        cached_content="cachedContents/abc",
        tools=[types.Tool(google_search=types.GoogleSearch())],  # expect: google.tool-objects, google.grounding
    )
    response = client.models.generate_content(model="gemini-2.0-flash", contents=prompt, config=config)  # expect: google.generate-content, google.model-id-floating
    candidate = response.candidates[0]  # ok: google.response
    if candidate.finish_reason == "MAX_TOKENS":  # expect: google.finish-reason  # ok: google.candidates
        print(candidate.content.parts[0].text)  # expect: google.candidates
    if candidate.finish_reason == types.FinishReason.SAFETY:  # expect: google.response
        pass
    print(response.usage_metadata.prompt_token_count)  # expect: google.candidates
    return response.text  # expect: google.response


async def generate_async(prompt: str) -> None:
    response = await client.aio.models.generate_content(model="gemini-1.5-flash-002", contents=prompt)  # expect: google.generate-content, google.model-id
    print(response.function_calls)  # expect: google.response
    for chunk in client.models.generate_content_stream(model="gemini-2.5-pro", contents=prompt):  # expect: google.generate-content, google.model-retiring
        print(chunk.text)  # expect: google.response
    client.models.generate_content(model=MODEL, contents=prompt, config={"response_mime_type": "application/json"})  # expect: google.generate-content


def chat_and_features(doc) -> None:
    chat = client.chats.create(model="gemini-2.0-flash-001")  # expect: google.chats, google.model-id
    reply = chat.send_message("hi")  # expect: google.chats
    print(reply.text)  # expect: google.response
    client.models.embed_content(model="gemini-embedding-001", contents=["a"])  # expect: google.embeddings, google.embedding-model
    client.models.count_tokens(model=MODEL, contents="x")  # expect: google.count-tokens
    client.models.generate_images(model="imagen-3.0-generate-002", prompt="a cat")  # expect: google.media-generation
    client.caches.create(model=MODEL, config={"contents": [doc], "ttl": "3600s"})  # expect: google.context-caching
    client.files.upload(file="report.pdf")  # expect: google.files
    client.batches.create(model=MODEL, src="gs://bucket/in.jsonl")  # expect: google.batches
    client.tunings.tune(base_model=MODEL, training_dataset=doc)  # expect: google.tuning
    client.aio.live.connect(model="gemini-live-2.5-flash-preview")  # expect: google.live, google.model-id-floating
    client.models.list()  # ok: google.generate-content


def tool_round_trip(call) -> list:
    part = types.Part.from_function_response(name=call.name, response={"result": 42})  # expect: google.function-response-part
    return [
        {"role": "model", "parts": [{"function_call": call}]},  # expect: google.model-role
        {"role": "user", "parts": [{"function_response": {"name": call.name, "response": {}}}]},  # expect: google.function-response
        {"role": "user", "parts": [{"functionResponse": {"name": call.name, "response": {}}}]},  # expect: google.function-response-rest
        {"role": "assistant", "content": "hi"},  # ok: google.model-role
        {"role": "model", "name": "resnet"},  # ok: google.model-role
        part,
    ]


def legacy(prompt: str) -> str:
    legacy_genai.configure(api_key=os.environ["GOOGLE_API_KEY"])  # expect: google.legacy-configure, google.env-var
    model = legacy_genai.GenerativeModel(  # expect: google.legacy-model, google.safety-settings
        model_name="gemini-pro",  # expect: google.model-id-floating
        safety_settings={"HARM_CATEGORY_DANGEROUS_CONTENT": "BLOCK_ONLY_HIGH"},  # expect: google.harm-category
    )
    chat = model.start_chat()  # expect: google.legacy-generate
    chat.send_message(prompt)  # expect: google.legacy-generate
    legacy_genai.embed_content(model="models/text-embedding-004", content=prompt)  # expect: google.legacy-embeddings, google.embedding-model  # ok: google.embeddings
    legacy_genai.create_tuned_model(source_model="models/gemini-1.0-pro-001", training_data=[])  # expect: google.tuning, google.model-id
    legacy_genai.upload_file("a.pdf")  # expect: google.files
    legacy_genai.caching.CachedContent.create(model=MODEL)  # expect: google.context-caching
    result = model.generate_content(prompt, generation_config=legacy_genai.GenerationConfig(response_schema=dict))  # expect: google.legacy-generate, google.structured-output
    return result.text  # expect: google.response


def vertex(prompt: str) -> str:
    vertexai.init(project="acme", location="europe-west4")  # expect: google.vertexai-init
    model = GenerativeModel("gemini-1.5-pro-002", tools=[Tool.from_google_search_retrieval(grounding.GoogleSearchRetrieval())])  # expect: google.vertexai-model, google.model-id, google.grounding
    answer = model.generate_content([Part.from_text(prompt)])  # expect: google.vertexai-generate
    model.start_chat().send_message("more")  # expect: google.vertexai-generate
    TextEmbeddingModel.from_pretrained("textembedding-gecko@003")  # expect: google.vertexai-language-models, google.embedding-model
    return answer.text  # expect: google.response


MODEL = "gemini-2.5-flash"  # expect: google.model-retiring
LATEST = "gemini-1.5-flash-latest"  # expect: google.model-id-floating
TUNED = "tunedModels/support-bot-7x"  # expect: google.tuned-model
PROSE = "Gemini 2.5 Flash is fast"  # ok: google.model-id-floating, google.model-retiring
ZODIAC = "gemini-season"  # ok: google.model-id-floating, google.model-id
NOT_PINNED = "gemini-2.0-flash-reviewed-2024"  # ok: google.model-id
NOT_TUNED = "tunedModels are listed here"  # ok: google.tuned-model
KEY = "AIzaSyA1234567890abcdefghijklmnopqrstuv"  # expect: google.hardcoded-key
NOT_KEY = "AIza-short"  # ok: google.hardcoded-key
BLOCK = "BLOCK_QUOTE"  # ok: google.harm-category
NOT_EMBED = "text-embedding-3-small-local"  # ok: google.embedding-model


def lookalikes(page, resp, settings, local) -> None:
    print(page.text)  # ok: google.response
    print(resp.candidates)  # ok: google.response
    if resp.finish_reason == "done":  # ok: google.finish-reason
        pass
    print(resp.usage.prompt_tokens_total)  # ok: google.candidates
    local.models.generate_content(contents="x")  # ok: google.generate-content
    local.caches.create(ttl=5)  # ok: google.context-caching
    local.files.upload(file="x")  # ok: google.files
    local.batches.create(src="x")  # ok: google.batches
    local.tunings.tune(base_model="x")  # ok: google.tuning
    local.live.connect()  # ok: google.live
    local.chats.create(model="x")  # ok: google.chats
    local.models.embed_content(contents=["x"])  # ok: google.embeddings, google.legacy-embeddings
    local.models.count_tokens(contents="x")  # ok: google.count-tokens
    local.models.generate_images(prompt="x")  # ok: google.media-generation
    local.configure(api_key="x")  # ok: google.legacy-configure
    local.GenerativeModel("x").generate_content("y")  # ok: google.legacy-model, google.legacy-generate
    local.init(project="x")  # ok: google.vertexai-init
    local.Client(api_key="x")  # ok: google.client
    settings.render(safety_settings=[], thinking_config={}, response_schema={}, cached_content="x")  # ok: google.safety-settings, google.thinking-config, google.structured-output, google.cached-content
    local.Part.from_function_response(name="x")  # ok: google.function-response-part
    local.Tool(name="x")  # ok: google.tool-objects
    local.GoogleSearch()  # ok: google.grounding
    local.GenerativeModel("gemini")  # ok: google.vertexai-model
    local.start_chat().send_message("x")  # ok: google.vertexai-generate
    local.TextEmbeddingModel.from_pretrained("x")  # ok: google.vertexai-language-models
    print({"function_call_output": 1})  # ok: google.function-response
    print({"functionCall": 1})  # ok: google.function-response-rest
    print({"functionDeclaration": 1})  # ok: google.tool-schema-rest


def cohere_like(resp) -> None:
    print(resp.embeddings.float_)  # expect: cohere.v2-message-shape  # ok: google.candidates
