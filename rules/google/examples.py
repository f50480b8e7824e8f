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
from local_filters import SafetySetting
from vertexai.language_models import TextEmbeddingModel  # expect: google.import-vertexai
import google_helpers  # ok: google.import-genai, google.import-generativeai
import vertexai_utils  # ok: google.import-vertexai
from google.cloud import storage  # ok: google.import-vertexai

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])  # expect: google.client, google.env-var
vertex_client = genai.Client(vertexai=True, project="p", location="us-central1")  # expect: google.client
key = os.getenv("GOOGLE_API_KEY")  # expect: google.env-var
project = os.getenv("GOOGLE_CLOUD_PROJECT")  # ok: google.env-var
HELP = "GOOGLE_API_KEY_HELP"  # ok: google.env-var
KEY_NAME = "GOOGLE_API_KEY"  # expect: google.env-var
key_by_name = os.getenv(KEY_NAME)  # expect: google.env-var
DEBUG_NAME = "APP_DEBUG"
debug_by_name = os.environ[DEBUG_NAME]  # ok: google.env-var

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
    config = types.GenerateContentConfig(  # expect: google.safety-settings, google.thinking-config, google.structured-output, google.cached-content, google.config-types
        system_instruction="Be brief.",
        safety_settings=[types.SafetySetting(category="HARM_CATEGORY_HARASSMENT", threshold="BLOCK_NONE")],  # expect: google.safety-setting  # ok: google.harm-category
        thinking_config=types.ThinkingConfig(thinking_budget=512),  # expect: google.config-types
        response_mime_type="application/json",
        cached_content="cachedContents/abc",
        tools=[types.Tool(google_search=types.GoogleSearch())],  # expect: google.tool-objects, google.grounding
    )
    response = client.models.generate_content(model="gemini-2.0-flash", contents=prompt, config=config)  # expect: google.generate-content, google.model-id-floating
    candidate = response.candidates[0]  # expect: google.response-field  # ok: google.response
    if candidate.finish_reason == "MAX_TOKENS":  # expect: google.finish-reason  # ok: google.candidates
        print(candidate.content.parts[0].text)  # expect: google.candidates
    if candidate.finish_reason == types.FinishReason.SAFETY:  # expect: google.response
        pass
    print(response.usage_metadata.prompt_token_count)  # expect: google.candidates
    return response.text  # expect: google.response


async def generate_async(prompt: str) -> None:
    response = await client.aio.models.generate_content(model="gemini-1.5-flash-002", contents=prompt)  # expect: google.generate-content, google.model-id
    print(response.function_calls)  # expect: google.response
    for chunk in client.models.generate_content_stream(model="gemini-2.5-pro", contents=prompt):  # expect: google.generate-content, google.model-id
        print(chunk.text)  # expect: google.response
    client.models.generate_content(model=MODEL, contents=prompt, config={"response_mime_type": "application/json"})  # expect: google.generate-content, google.structured-output-dict
    config_params = {"temperature": 0.2}
    config_params["response_mime_type"] = "application/json"  # expect: google.structured-output-dict
    config_params["response_schema"] = schema  # expect: google.response-schema-dict
    config_params["response_json_schema"] = schema  # expect: google.response-json-schema-dict
    json_config = {"response_mime_type": "application/json", "response_schema": schema, "response_json_schema": None}  # expect: google.structured-output-dict  # ok: google.response-schema-dict, google.response-json-schema-dict
    reply_schema = config_params["response_schema"]  # ok: google.response-schema-dict


def chat_and_features(doc) -> None:
    chat = client.chats.create(model="gemini-2.0-flash-001")  # expect: google.chats, google.model-id
    reply = chat.send_message("hi")  # expect: google.chats
    print(reply.text)  # expect: google.response
    client.models.embed_content(model="gemini-embedding-001", contents=["a"])  # expect: google.embeddings, google.embedding-model
    client.models.count_tokens(model=MODEL, contents="x")  # expect: google.count-tokens
    client.models.generate_images(model="imagen-3.0-generate-002", prompt="a cat")  # expect: google.media-generation, google.model-id
    client.caches.create(model=MODEL, config={"contents": [doc], "ttl": "3600s"})  # expect: google.context-caching, google.platform-call
    client.files.upload(file="report.pdf")  # expect: google.files, google.platform-call
    client.batches.create(model=MODEL, src="gs://bucket/in.jsonl")  # expect: google.batches, google.platform-call
    client.tunings.tune(base_model=MODEL, training_dataset=doc)  # expect: google.tuning, google.platform-call
    client.aio.live.connect(model="gemini-live-2.5-flash-preview")  # expect: google.live, google.model-id-floating, google.platform-call
    client.models.list()  # ok: google.generate-content, google.platform-call


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
        safety_settings={"HARM_CATEGORY_DANGEROUS_CONTENT": "BLOCK_ONLY_HIGH"},  # ok: google.harm-category
    )
    chat = model.start_chat()  # expect: google.legacy-generate
    chat.send_message(prompt)  # expect: google.legacy-generate
    legacy_genai.embed_content(model="models/text-embedding-004", content=prompt)  # expect: google.legacy-embeddings, google.embedding-model  # ok: google.embeddings
    legacy_genai.create_tuned_model(source_model="models/gemini-1.0-pro-001", training_data=[])  # expect: google.tuning, google.model-id
    legacy_genai.upload_file("a.pdf")  # expect: google.files, google.platform-call
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


MODEL = "gemini-2.5-flash"  # expect: google.model-id
LATEST = "gemini-1.5-flash-latest"  # expect: google.model-id-floating
TUNED = "tunedModels/support-bot-7x"  # expect: google.tuned-model
PROSE = "Gemini 2.5 Flash is fast"  # ok: google.model-id-floating, google.model-id
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
    local.caches.create(ttl=5)  # ok: google.context-caching, google.platform-call
    local.files.upload(file="x")  # ok: google.files, google.platform-call
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


def interactions_and_options(client_openai, history: list, tool_result: str) -> None:
    first = client.interactions.create(model=MODEL, input="Plan a trip")  # expect: google.interactions
    client.interactions.create(model=MODEL, input="And back?", previous_interaction_id=first.id)  # expect: google.interactions, google.interactions-state, google.response-field
    client.interactions.create(model=MODEL, input=[{"type": "function_result", "call_id": "c1", "result": tool_result}])  # expect: google.interactions, google.interactions-function-result
    client.models.list()  # ok: google.interactions, google.interactions-state
    types.ToolConfig(function_calling_config=types.FunctionCallingConfig(mode=types.FunctionCallingConfigMode.ANY))  # expect: google.config-types  # ok: google.thinking-level
    types.EmbedContentConfig(output_dimensionality=768)  # expect: google.config-types
    types.ThinkingConfig(thinking_level=types.ThinkingLevel.HIGH, include_thoughts=True)  # expect: google.config-types, google.thinking-level
    types.Content(role="user", parts=[types.Part(text="x")])  # ok: google.config-types
    client_openai.chat.completions.create(
        model=MODEL,
        messages=history,
        extra_body={
            "extra_body": {
                "google": {  # expect: google.options-dict, google.safety-settings-dict, google.cached-content-dict
                    "thinking_config": {"thinking_budget": 1024, "include_thoughts": True},
                    "safety_settings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}],  # ok: google.harm-category
                    "cached_content": "cachedContents/abc",
                }
            }
        },
    )


LIVE_SETUP = {"setup": {"model": "models/gemini-2.0-flash-live-001"}}  # expect: google.model-id
LIVE_AUDIO = {"realtimeInput": {"mediaChunks": [{"mimeType": "audio/pcm", "data": "..."}]}}  # expect: google.live-wire-format
SETTINGS_FORM = {"thinking": True, "safety": "strict", "cached": "yes", "mime_type": "json"}  # ok: google.options-dict, google.safety-settings-dict, google.cached-content-dict, google.structured-output-dict
EVENTS = {"realtime_input": "mic"}  # ok: google.live-wire-format
local_safety = SafetySetting("strict")  # ok: google.safety-setting
LEVELS = {"level": "HIGH"}  # ok: google.thinking-level


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "GEMINI_MODEL_NAME"  # expect: google.env-var-name
SETTING_HELP = "GEMINI_MODEL_NAME_HELP"  # ok: google.env-var-name
SETTING_PROSE = "GEMINI settings"  # ok: google.env-var-name


# Model ids as real code writes them.
PROVIDER_MODELS = ["vertexai/gemini-2.0-flash-001", "generative-ai/gemini-1.5-flash"]  # expect: google.model-id, google.model-id-floating
EXPERIMENT = "gemini-2.0-flash-thinking-exp-01-21"  # expect: google.model-id
IMAGES = "imagen-4.0-generate-preview"  # expect: google.model-id-floating
VIDEO = "veo-3.0-generate-001"  # expect: google.model-id


def supports_thinking(model_name: str) -> bool:
    return model_name.startswith("gemini-2.5") or model_name.startswith("gemini-3")  # expect: google.model-family-prefix


SPACE = "gemini-space-program"  # ok: google.model-family-prefix


def raw_http_google(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.get("https://generativelanguage.googleapis.com/v1beta/models", headers=headers)  # expect: google.http-endpoint
    print("https://ai.google.dev/gemini-api/docs")  # ok: google.http-endpoint
BASE = "https://generativelanguage.googleapis.com/v1beta/openai/"  # ok: google.http-endpoint


def gemini_shapes(response, message: dict, call) -> None:
    part = response.candidates[0].content.parts[0]  # expect: google.candidates
    if part.function_call:  # expect: google.candidates
        print(response.candidates[0].content.parts[0].function_call.args)  # expect: google.candidates
    print(call.function_call.args)  # expect: google.candidates
    print(response.server_content.model_turn, response.server_content.turn_complete)  # expect: google.candidates
    print(message["serverContent"]["modelTurn"]["parts"][0]["inlineData"]["data"])  # expect: google.candidates
    print(response.prompt_feedback.block_reason)  # expect: google.candidates
    print(call.parts[0].text, call.server.content)  # ok: google.candidates


def interactions_options(schema: dict) -> None:
    client.interactions.create(model=MODEL, input="x", response_format={"type": "text", "mime_type": "application/json"})  # expect: google.interactions, google.interactions-options
    client.interactions.create(model=MODEL, input="x")  # expect: google.interactions  # ok: google.interactions-options
    client.models.generate_content(model=MODEL, contents="x", config={"tools": [print], "automatic_function_calling": {"disable": True}})  # expect: google.generate-content, google.function-calling-dict
    options = {"function_calling": True}  # ok: google.function-calling-dict
    print(options)


def interaction_steps() -> str:
    interaction = client.interactions.create(model=MODEL, input="x")  # expect: google.interactions
    for step in interaction.steps:  # expect: google.interactions-output
        if step.type == "model_output":  # expect: google.interactions-output
            return step.content[0].text  # expect: google.interactions-output
    print(client.models.list().steps)  # ok: google.interactions-output
    return ""

NOT_INTERACTION_RESULT = {"type": "function_result", "id": "c1"}  # ok: google.interactions-function-result


def response_fields(client: genai.Client, rating: types.SafetyRating) -> None:
    reply = client.models.generate_content(model=MODEL, contents="hi")  # expect: google.generate-content
    print(reply.candidates[0].finish_reason.name)  # expect: google.response-field
    print(rating.probability.name)  # expect: google.response-field
    settings = types.GenerateContentConfig(temperature=0)  # expect: google.config-types
    print(settings.temperature)  # ok: google.response-field
