# Examples for rules/litellm/rules.toml. This file is scanned, never run.
import litellm  # expect: litellm.import
from litellm import Router, acompletion  # expect: litellm.import
import litellm_helpers  # ok: litellm.import

router = Router(model_list=[])  # expect: litellm.router
not_router = dict(model_list=[])  # ok: litellm.router


def routed():
    from litellm.router import Router as SubmoduleRouter  # expect: litellm.import
    return SubmoduleRouter(model_list=[])  # expect: litellm.router


async def ask(prompt: str) -> str:
    resp = litellm.completion(model="openai/gpt-4o", messages=[{"role": "user", "content": prompt}])  # expect: litellm.completion, litellm.model-openai
    await acompletion(model="anthropic/claude-3-5-haiku-20241022", messages=[])  # expect: litellm.completion, litellm.model-anthropic
    await router.acompletion(model="default", messages=[])  # expect: litellm.completion
    litellm.embedding(model="text-embedding-3-small", input=["x"])  # expect: litellm.embedding, openai.embedding-model
    router.embedding(model="embedder", input=["x"])  # expect: litellm.embedding
    litellm.rerank(model="cohere/rerank", query="q", documents=[])  # expect: litellm.model-cohere  # ok: litellm.embedding
    litellm.get_model_info("gpt-4o")  # expect: openai.model-id-floating  # ok: litellm.completion
    return resp.choices[0].message.content  # ok: openai.response-content


# Provider model strings: the prefix names the vendor behind litellm.
# Dependency rules (checked by the manifest analyzer, not here): litellm.dependency.
def routed(messages: list) -> None:
    litellm.completion(model="anthropic/claude-sonnet-4-20250514", messages=messages)  # expect: litellm.completion, litellm.model-anthropic
    litellm.completion(model="gemini/gemini-2.5-flash", messages=messages)  # expect: litellm.completion, litellm.model-gemini
    litellm.completion(model="vertex_ai/gemini-1.5-pro-002", messages=messages)  # expect: litellm.completion, litellm.model-gemini
    litellm.completion(model="azure/gpt4o-prod", messages=messages)  # expect: litellm.completion, litellm.model-azure
    litellm.completion(model="bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0", messages=messages)  # expect: litellm.completion, litellm.model-bedrock
    litellm.completion(model="cohere_chat/command-r-plus", messages=messages)  # expect: litellm.completion, litellm.model-cohere
    litellm.completion(model="mistral/mistral-large-latest", messages=messages)  # expect: litellm.completion, litellm.model-mistral
    litellm.completion(model="groq/llama-3.3-70b-versatile", messages=messages)  # expect: litellm.completion, litellm.model-groq
    litellm.completion(model="together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", messages=messages)  # expect: litellm.completion, litellm.model-together
    litellm.completion(model="fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct", messages=messages)  # expect: litellm.completion, litellm.model-fireworks
    litellm.completion(model="replicate/meta/llama-2-70b-chat", messages=messages)  # expect: litellm.completion, litellm.model-replicate
    litellm.completion(model="huggingface/meta-llama/Llama-3.1-8B-Instruct", messages=messages)  # expect: litellm.completion, litellm.model-huggingface
    litellm.completion(model="ollama_chat/llama3.1:8b", messages=messages, api_base="http://localhost:11434")  # expect: litellm.completion, litellm.model-ollama
    litellm.completion(model="dashscope/qwen-plus", messages=messages)  # expect: litellm.completion, litellm.model-dashscope
    litellm.completion(model="deepseek/deepseek-chat", messages=messages)  # expect: litellm.completion, litellm.model-deepseek
    litellm.completion(model="openrouter/anthropic/claude-3.5-sonnet", messages=messages)  # expect: litellm.completion, litellm.model-openrouter
    litellm.completion(model="xai/grok-4", messages=messages)  # expect: litellm.completion, litellm.model-xai
    litellm.completion(model="openai/o3-mini", messages=messages)  # expect: litellm.completion, litellm.model-openai


PATHS = ["openai/openai-python", "docs/azure/setup.md", "anthropic/claude notes"]  # ok: litellm.model-openai, litellm.model-azure, litellm.model-anthropic
FOLDERS = ["gemini/", "cohere/README.md", "mistral/", "groq/"]  # ok: litellm.model-gemini, litellm.model-cohere, litellm.model-mistral, litellm.model-groq
ROUTES = ["/ollama/", "together_ai", "xai/", "deepseek/"]  # ok: litellm.model-ollama, litellm.model-together, litellm.model-xai, litellm.model-deepseek
MISC = ["bedrock/", "fireworks_ai", "replicate/", "huggingface/", "dashscope/", "openrouter/auto"]  # expect: openrouter.model-id  # ok: litellm.model-bedrock, litellm.model-fireworks, litellm.model-replicate, litellm.model-huggingface, litellm.model-dashscope, litellm.model-openrouter


def litellm_options(messages: list) -> None:
    litellm.drop_params = True  # expect: litellm.global-options
    litellm.completion(model="gpt-4o", messages=messages, drop_params=True, fallbacks=["claude-haiku-4-5"])  # expect: litellm.completion, litellm.options, openai.model-id-floating, anthropic.model-id-floating
    litellm.completion(model="gpt-4o", messages=messages, temperature=0)  # expect: litellm.completion, openai.model-id-floating  # ok: litellm.options
    settings.drop_params = True  # ok: litellm.global-options


def structured(messages: list, response_format: dict, model: str) -> None:
    params = {"model": model, "messages": messages}
    params["response_format"] = response_format  # expect: litellm.response-format
    litellm.completion(**params)  # expect: litellm.completion
    litellm.completion(model=model, messages=messages, temperature=0)  # expect: litellm.completion  # ok: litellm.response-format
