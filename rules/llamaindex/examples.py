# Examples for rules/llamaindex/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): every
# llamaindex.dependency-llms-* and llamaindex.dependency-embeddings-* rule.
from llama_index.core import Settings, VectorStoreIndex  # ok: llamaindex.import-openai
from llama_index.embeddings.azure_openai import AzureOpenAIEmbedding  # expect: llamaindex.import-azure
from llama_index.embeddings.bedrock import BedrockEmbedding  # expect: llamaindex.import-bedrock
from llama_index.embeddings.cohere import CohereEmbedding  # expect: llamaindex.import-cohere
from llama_index.embeddings.dashscope import DashScopeEmbedding  # expect: llamaindex.import-dashscope
from llama_index.embeddings.fireworks import FireworksEmbedding  # expect: llamaindex.import-fireworks
from llama_index.embeddings.gemini import GeminiEmbedding  # expect: llamaindex.import-google
from llama_index.embeddings.mistralai import MistralAIEmbedding  # expect: llamaindex.import-mistral
from llama_index.embeddings.ollama import OllamaEmbedding  # expect: llamaindex.import-ollama
from llama_index.embeddings.together import TogetherEmbedding  # expect: llamaindex.import-together
from llama_index.llms.cohere import Cohere  # expect: llamaindex.import-cohere
from llama_index.llms.huggingface_api import HuggingFaceInferenceAPI  # expect: llamaindex.import-huggingface
from llama_index.embeddings.huggingface_api import HuggingFaceInferenceAPIEmbedding  # expect: llamaindex.import-huggingface
from llama_index.embeddings.openai import OpenAIEmbedding  # expect: llamaindex.import-openai
from llama_index.llms.anthropic import Anthropic  # expect: llamaindex.import-anthropic
from llama_index.llms.azure_openai import AzureOpenAI  # expect: llamaindex.import-azure
from llama_index.llms.bedrock_converse import BedrockConverse  # expect: llamaindex.import-bedrock
from llama_index.llms.dashscope import DashScope  # expect: llamaindex.import-dashscope
from llama_index.llms.deepseek import DeepSeek  # expect: llamaindex.import-deepseek
from llama_index.llms.fireworks import Fireworks  # expect: llamaindex.import-fireworks
from llama_index.llms.google_genai import GoogleGenAI  # expect: llamaindex.import-google
from llama_index.llms.groq import Groq  # expect: llamaindex.import-groq
from llama_index.llms.mistralai import MistralAI  # expect: llamaindex.import-mistral
from llama_index.llms.ollama import Ollama  # expect: llamaindex.import-ollama
from llama_index.llms.openai import OpenAI  # expect: llamaindex.import-openai
from llama_index.llms.openai_like import OpenAILike  # ok: llamaindex.import-openai  # expect: llamaindex.import-openai-like
from llama_index.llms.openrouter import OpenRouter  # expect: llamaindex.import-openrouter
from llama_index.llms.replicate import Replicate  # expect: llamaindex.import-replicate
from llama_index.llms.together import TogetherLLM  # expect: llamaindex.import-together
import llama_index_groq_notes  # ok: llamaindex.import-groq
from llama_index.llms.anthropic_utils import helpers  # ok: llamaindex.import-anthropic
from llama_index.core.llms import ChatMessage  # ok: llamaindex.import-azure, llamaindex.import-bedrock, llamaindex.import-cohere, llamaindex.import-dashscope, llamaindex.import-deepseek
from llama_index.core.embeddings import BaseEmbedding  # ok: llamaindex.import-fireworks, llamaindex.import-google, llamaindex.import-huggingface, llamaindex.import-mistral, llamaindex.import-ollama
from llama_index.readers.file import PDFReader  # ok: llamaindex.import-openrouter, llamaindex.import-replicate, llamaindex.import-together


def configure() -> None:
    Settings.llm = OpenAI(model="gpt-4o-mini")  # expect: llamaindex.llm-openai, openai.model-id-floating
    Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")  # expect: llamaindex.embeddings-openai, openai.embedding-model
    Anthropic(model="claude-3-5-haiku-latest")  # expect: llamaindex.llm-anthropic, anthropic.model-id-floating
    AzureOpenAI(engine="gpt4o-prod", api_version="2024-10-21")  # expect: llamaindex.llm-azure
    BedrockConverse(model="anthropic.claude-3-haiku-20240307-v1:0")  # expect: llamaindex.llm-bedrock, bedrock.model-id
    GoogleGenAI(model="gemini-2.0-flash")  # expect: llamaindex.llm-google, google.model-id-floating
    MistralAI(model="mistral-small-latest")  # expect: llamaindex.llm-mistral, mistral.model-id-floating
    Groq(model="llama-3.1-8b-instant")  # expect: llamaindex.llm-groq, groq.model-id
    TogetherLLM(model="mistralai/Mixtral-8x7B-Instruct-v0.1")  # expect: llamaindex.llm-together, mistral.open-weights-id
    Fireworks(model="accounts/fireworks/models/llama-v3p1-8b-instruct")  # expect: llamaindex.llm-fireworks, fireworks.model-id
    Ollama(model="qwen2.5:7b", request_timeout=60)  # expect: llamaindex.llm-ollama, ollama.model-tag
    DeepSeek(model="deepseek-chat")  # expect: llamaindex.llm-deepseek, deepseek.model-id
    OpenRouter(model="openrouter/auto")  # expect: llamaindex.llm-openrouter, openrouter.model-id
    DashScope(model_name="qwen-turbo")  # expect: llamaindex.llm-dashscope, dashscope.model-id
    Replicate(model="meta/llama-2-13b-chat")  # expect: llamaindex.llm-replicate
    CohereEmbedding(model_name="embed-multilingual-v3.0")  # expect: llamaindex.embeddings-cohere, cohere.embedding-model
    HuggingFaceInferenceAPIEmbedding(model_name="BAAI/bge-small-en-v1.5")  # expect: llamaindex.embeddings-huggingface, huggingface.open-weights-embedding
    OpenAILike(model="local", api_base="http://localhost:8000/v1")  # ok: llamaindex.llm-openai  # expect: llamaindex.llm-openai-like
    Cohere(model="command-r")  # expect: llamaindex.llm-cohere, cohere.model-id
    HuggingFaceInferenceAPI(model_name="HuggingFaceH4/zephyr-7b-beta")  # expect: llamaindex.llm-huggingface, huggingface.open-weights-id
    AzureOpenAIEmbedding(deployment_name="embed-prod")  # expect: llamaindex.embeddings-azure
    BedrockEmbedding(model_name="amazon.titan-embed-text-v2:0")  # expect: llamaindex.embeddings-bedrock, bedrock.model-id
    DashScopeEmbedding(model_name="text-embedding-v2")  # expect: llamaindex.embeddings-dashscope, dashscope.embedding-model
    FireworksEmbedding(model_name="nomic-ai/nomic-embed-text-v1.5")  # expect: llamaindex.embeddings-fireworks, huggingface.open-weights-embedding
    GeminiEmbedding(model_name="models/text-embedding-004")  # expect: llamaindex.embeddings-google, google.embedding-model
    MistralAIEmbedding(model_name="mistral-embed")  # expect: llamaindex.embeddings-mistral, mistral.embedding-model
    OllamaEmbedding(model_name="nomic-embed-text:latest")  # expect: llamaindex.embeddings-ollama, ollama.model-tag
    TogetherEmbedding(model_name="BAAI/bge-base-en-v1.5")  # expect: llamaindex.embeddings-together, huggingface.open-weights-embedding


def query(index: VectorStoreIndex, question: str) -> str:
    return str(index.as_query_engine().query(question))  # ok: llamaindex.llm-openai


class OpenAIEmbeddingCache:
    """A repo's own class named like the integration: not LlamaIndex."""


def lookalikes(local) -> None:
    OpenAIEmbeddingCache()  # ok: llamaindex.embeddings-openai
    local.OpenAI(model="x")  # ok: llamaindex.llm-openai
    local.Anthropic()  # ok: llamaindex.llm-anthropic
    local.AzureOpenAI()  # ok: llamaindex.llm-azure
    local.BedrockConverse()  # ok: llamaindex.llm-bedrock
    local.GoogleGenAI()  # ok: llamaindex.llm-google
    local.MistralAI()  # ok: llamaindex.llm-mistral
    local.Groq()  # ok: llamaindex.llm-groq
    local.TogetherLLM()  # ok: llamaindex.llm-together
    local.Fireworks()  # ok: llamaindex.llm-fireworks
    local.Ollama()  # ok: llamaindex.llm-ollama
    local.DeepSeek()  # ok: llamaindex.llm-deepseek
    local.OpenRouter()  # ok: llamaindex.llm-openrouter
    local.DashScope()  # ok: llamaindex.llm-dashscope
    local.Replicate()  # ok: llamaindex.llm-replicate
    local.HuggingFaceInferenceAPI()  # ok: llamaindex.llm-huggingface
    local.CohereEmbedding()  # ok: llamaindex.embeddings-cohere, llamaindex.llm-cohere
    local.AzureOpenAIEmbedding()  # ok: llamaindex.embeddings-azure
    local.GeminiEmbedding()  # ok: llamaindex.embeddings-google
    local.BedrockEmbedding()  # ok: llamaindex.embeddings-bedrock
    local.MistralAIEmbedding()  # ok: llamaindex.embeddings-mistral
    local.TogetherEmbedding()  # ok: llamaindex.embeddings-together
    local.FireworksEmbedding()  # ok: llamaindex.embeddings-fireworks
    local.OllamaEmbedding()  # ok: llamaindex.embeddings-ollama
    local.DashScopeEmbedding()  # ok: llamaindex.embeddings-dashscope
    local.HuggingFaceInferenceAPIEmbedding()  # ok: llamaindex.embeddings-huggingface


# LlamaIndex before 0.10: one package, classes imported from its subpackages.
from llama_index.agent import OpenAIAgent, ReActAgent  # expect: llamaindex.import-openai
from llama_index.llms import OpenAI as LegacyOpenAI, Anthropic as LegacyAnthropic  # expect: llamaindex.import-openai, llamaindex.import-anthropic
from llama_index.llms import ChatMessage  # ok: llamaindex.import-openai
from llama_index.llms.openai_utils import is_function_calling_model  # expect: llamaindex.import-openai
from llama_index.multi_modal_llms.openai import OpenAIMultiModal  # expect: llamaindex.import-openai


def legacy_llamaindex(tools: list) -> None:
    llm = LegacyOpenAI(model="gpt-4-1106-preview")  # expect: llamaindex.llm-openai, openai.model-id
    LegacyAnthropic(model="claude-2.1")  # expect: llamaindex.llm-anthropic, anthropic.model-id-retired
    OpenAIAgent.from_tools(tools, llm=llm, verbose=True)  # expect: llamaindex.llm-openai
    ReActAgent.from_tools(tools, llm=llm)  # ok: llamaindex.llm-openai
    OpenAIMultiModal(model="gpt-4-vision-preview", max_new_tokens=1500)  # expect: llamaindex.llm-openai, openai.model-id-floating
    is_function_calling_model(llm)
from local_llms import OpenAILike as OwnOpenAILike  # ok: llamaindex.import-openai-like
OwnOpenAILike(model="x")  # ok: llamaindex.llm-openai-like
