# Examples for rules/litellm/rules.toml. This file is scanned, never run.
import litellm  # expect: litellm.import
from litellm import Router, acompletion  # expect: litellm.import
import litellm_helpers  # ok: litellm.import

router = Router(model_list=[])  # expect: litellm.router
not_router = dict(model_list=[])  # ok: litellm.router


async def ask(prompt: str) -> str:
    resp = litellm.completion(model="openai/gpt-4o", messages=[{"role": "user", "content": prompt}])  # expect: litellm.completion
    await acompletion(model="anthropic/claude-3-5-haiku-20241022", messages=[])  # expect: litellm.completion
    await router.acompletion(model="default", messages=[])  # expect: litellm.completion
    litellm.embedding(model="text-embedding-3-small", input=["x"])  # expect: litellm.embedding, openai.embedding-model
    router.embedding(model="embedder", input=["x"])  # expect: litellm.embedding
    litellm.rerank(model="cohere/rerank", query="q", documents=[])  # ok: litellm.embedding
    litellm.get_model_info("gpt-4o")  # expect: openai.model-id-floating  # ok: litellm.completion
    return resp.choices[0].message.content  # ok: openai.response-content
