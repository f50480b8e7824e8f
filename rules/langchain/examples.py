# Examples for rules/langchain/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): langchain.dependency-openai,
# langchain.dependency-anthropic, langchain.dependency-google-genai,
# langchain.dependency-google-vertexai, langchain.dependency-aws, langchain.dependency-mistralai,
# langchain.dependency-cohere, langchain.dependency-groq, langchain.dependency-together,
# langchain.dependency-fireworks, langchain.dependency-ollama, langchain.dependency-deepseek,
# langchain.dependency-xai, langchain.dependency-huggingface.
from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic  # expect: langchain.import-anthropic
from langchain_aws import BedrockEmbeddings, ChatBedrock, ChatBedrockConverse  # expect: langchain.import-bedrock
from langchain_cohere import ChatCohere, CohereEmbeddings  # expect: langchain.import-cohere
from langchain_community.chat_models import ChatTongyi
from langchain_community.embeddings import DashScopeEmbeddings
from langchain_community.llms import Replicate
from langchain_core.messages import HumanMessage  # ok: langchain.import-openai, langchain.import-anthropic
from langchain_deepseek import ChatDeepSeek  # expect: langchain.import-deepseek
from langchain_fireworks import ChatFireworks, FireworksEmbeddings  # expect: langchain.import-fireworks
from langchain_google_genai import ChatGoogleGenerativeAI, GoogleGenerativeAIEmbeddings  # expect: langchain.import-google
from langchain_google_vertexai import ChatVertexAI  # expect: langchain.import-google
from langchain_groq import ChatGroq  # expect: langchain.import-groq
from langchain_huggingface import ChatHuggingFace, HuggingFaceEndpoint, HuggingFaceEndpointEmbeddings  # expect: langchain.import-huggingface
from langchain_mistralai import ChatMistralAI, MistralAIEmbeddings  # expect: langchain.import-mistral
from langchain_ollama import ChatOllama, OllamaEmbeddings  # expect: langchain.import-ollama
from langchain_openai import AzureChatOpenAI, AzureOpenAIEmbeddings, ChatOpenAI, OpenAIEmbeddings  # expect: langchain.import-openai
from langchain_together import ChatTogether, TogetherEmbeddings  # expect: langchain.import-together
from langchain_xai import ChatXAI  # expect: langchain.import-xai
import langchain_openai_helpers  # ok: langchain.import-openai
import langchain_groqish  # ok: langchain.import-groq
import langchain_togetherness  # ok: langchain.import-together
import langchain_fireworks_show  # ok: langchain.import-fireworks
import langchain_ollama_docs  # ok: langchain.import-ollama
import langchain_deepseek_notes  # ok: langchain.import-deepseek
import langchain_xai_utils  # ok: langchain.import-xai
import langchain_huggingface_data  # ok: langchain.import-huggingface
import langchain_mistralai_tests  # ok: langchain.import-mistral
import langchain_cohere_tests  # ok: langchain.import-cohere
import langchain_aws_tests  # ok: langchain.import-bedrock
import langchain_google_tests  # ok: langchain.import-google


def build_models() -> list:
    return [
        ChatOpenAI(model="gpt-4o-mini", use_responses_api=True, seed=3),  # expect: langchain.chat-openai, langchain.openai-options, openai.model-id-floating
        ChatOpenAI(model=MODEL),  # expect: langchain.chat-openai  # ok: langchain.openai-options
        AzureChatOpenAI(azure_deployment="gpt4o-prod", api_version="2024-10-21"),  # expect: langchain.chat-azure, langchain.azure-options
        AzureChatOpenAI(model="gpt-4o", temperature=0),  # expect: langchain.chat-azure, openai.model-id-floating  # ok: langchain.azure-options
        ChatAnthropic(model="claude-sonnet-4-20250514", thinking={"type": "enabled", "budget_tokens": 2000}),  # expect: langchain.chat-anthropic, langchain.anthropic-options, anthropic.model-id, anthropic.thinking-dict
        ChatGoogleGenerativeAI(model="gemini-2.0-flash", safety_settings={}, thinking_budget=0),  # expect: langchain.chat-google, langchain.google-options, google.model-id-floating
        ChatVertexAI(model_name="gemini-1.5-pro-002"),  # expect: langchain.chat-google, google.model-id
        ChatBedrock(model_id="anthropic.claude-3-5-sonnet-20240620-v1:0", region_name="us-east-1"),  # expect: langchain.chat-bedrock, langchain.bedrock-options, bedrock.model-id
        ChatBedrockConverse(model="amazon.nova-pro-v1:0", guardrail_config={}),  # expect: langchain.chat-bedrock, langchain.bedrock-options, bedrock.model-id
        ChatMistralAI(model="mistral-large-latest", random_seed=1),  # expect: langchain.chat-mistral, langchain.mistral-options, mistral.model-id-floating
        ChatCohere(model="command-r-plus"),  # expect: langchain.chat-cohere, cohere.model-id
        ChatGroq(model="llama-3.1-8b-instant"),  # expect: langchain.chat-groq, groq.model-id
        ChatTogether(model="meta-llama/Llama-3.3-70B-Instruct-Turbo"),  # expect: langchain.chat-together, together.model-id
        ChatFireworks(model="accounts/fireworks/models/llama-v3p1-70b-instruct"),  # expect: langchain.chat-fireworks, fireworks.model-id
        ChatOllama(model="llama3.1:8b", num_ctx=8192, keep_alive="5m"),  # expect: langchain.chat-ollama, langchain.ollama-options, ollama.model-tag
        ChatOllama(model="llama3.1:8b", base_url="http://localhost:11434"),  # expect: langchain.chat-ollama, ollama.model-tag  # ok: langchain.ollama-options
        ChatDeepSeek(model="deepseek-chat"),  # expect: langchain.chat-deepseek, deepseek.model-id
        ChatXAI(model="grok-3-mini"),  # expect: langchain.chat-xai, xai.model-id
        ChatHuggingFace(llm=HuggingFaceEndpoint(repo_id="HuggingFaceH4/zephyr-7b-beta")),  # expect: langchain.chat-huggingface, huggingface.open-weights-id
        ChatTongyi(model="qwen-max"),  # expect: langchain.chat-dashscope, dashscope.model-id
        Replicate(model="meta/llama-2-70b-chat"),  # expect: langchain.chat-replicate
    ]


def build_embedders() -> list:
    return [
        OpenAIEmbeddings(model="text-embedding-3-large"),  # expect: langchain.embeddings-openai, openai.embedding-model
        AzureOpenAIEmbeddings(azure_deployment="embed-prod"),  # expect: langchain.embeddings-azure, langchain.azure-options
        GoogleGenerativeAIEmbeddings(model="models/gemini-embedding-001"),  # expect: langchain.embeddings-google, google.embedding-model
        BedrockEmbeddings(model_id="amazon.titan-embed-text-v2:0"),  # expect: langchain.embeddings-bedrock, bedrock.model-id
        MistralAIEmbeddings(model="mistral-embed"),  # expect: langchain.embeddings-mistral, mistral.embedding-model
        CohereEmbeddings(model="embed-english-v3.0"),  # expect: langchain.embeddings-cohere, cohere.embedding-model
        TogetherEmbeddings(model="BAAI/bge-base-en-v1.5"),  # expect: langchain.embeddings-together, huggingface.open-weights-embedding
        FireworksEmbeddings(model="nomic-ai/nomic-embed-text-v1.5"),  # expect: langchain.embeddings-fireworks, huggingface.open-weights-embedding
        OllamaEmbeddings(model="nomic-embed-text:latest"),  # expect: langchain.embeddings-ollama, ollama.model-tag
        DashScopeEmbeddings(model="text-embedding-v2"),  # expect: langchain.embeddings-dashscope, dashscope.embedding-model
        HuggingFaceEndpointEmbeddings(model="sentence-transformers/all-mpnet-base-v2"),  # expect: langchain.embeddings-huggingface, huggingface.open-weights-embedding
    ]


def invoke(question: str) -> str:
    llm = ChatOpenAI(model=MODEL)  # expect: langchain.chat-openai
    msg = llm.invoke([HumanMessage(content=question)])
    print(msg.response_metadata["token_usage"])  # expect: langchain.response-metadata-openai
    if msg.response_metadata["finish_reason"] == "length":  # expect: langchain.finish-reason-openai
        pass
    claude = ChatAnthropic(model=MODEL)  # expect: langchain.chat-anthropic
    reply = claude.invoke(question)
    print(reply.response_metadata["stop_reason"])  # expect: langchain.response-metadata-anthropic
    gemini = ChatGoogleGenerativeAI(model=MODEL)  # expect: langchain.chat-google
    answer = gemini.invoke(question)
    print(answer.response_metadata["safety_ratings"])  # expect: langchain.response-metadata-google
    if answer.response_metadata["finish_reason"] == "SAFETY":  # expect: langchain.finish-reason-google
        pass
    print(msg.usage_metadata["input_tokens"])  # ok: langchain.response-metadata-openai
    print(msg.content)  # ok: langchain.response-metadata-openai, langchain.response-metadata-anthropic
    return msg.content


def by_string() -> list:
    return [
        init_chat_model("openai:gpt-4.1"),  # expect: langchain.model-string-openai
        init_chat_model("anthropic:claude-3-7-sonnet-latest"),  # expect: langchain.model-string-anthropic
        init_chat_model("google_genai:gemini-2.5-flash"),  # expect: langchain.model-string-google
        init_chat_model("bedrock_converse:anthropic.claude-3-haiku-20240307-v1:0"),  # expect: langchain.model-string-bedrock
        init_chat_model("azure_openai:gpt4o-prod"),  # expect: langchain.model-string-azure-openai
        init_chat_model("mistralai:mistral-small-latest"),  # expect: langchain.model-string-mistral
        init_chat_model("cohere:command-r"),  # expect: langchain.model-string-cohere
        init_chat_model("groq:llama-3.3-70b-versatile"),  # expect: langchain.model-string-groq
        init_chat_model("together:meta-llama/Llama-3-8b-chat-hf"),  # expect: langchain.model-string-together
        init_chat_model("fireworks:accounts/fireworks/models/mixtral-8x7b-instruct"),  # expect: langchain.model-string-fireworks
        init_chat_model("ollama:llama3.1"),  # expect: langchain.model-string-ollama
        init_chat_model("deepseek:deepseek-reasoner"),  # expect: langchain.model-string-deepseek
        init_chat_model("xai:grok-3"),  # expect: langchain.model-string-xai
        init_chat_model("huggingface:HuggingFaceH4/zephyr-7b-beta"),  # expect: langchain.model-string-huggingface
        init_chat_model("anthropic_bedrock:anthropic.claude-sonnet-4"),  # expect: langchain.model-string-bedrock
    ]


def by_keyword(settings) -> list:
    return [
        init_chat_model(MODEL, model_provider="openai"),  # expect: langchain.model-provider-openai
        init_chat_model(MODEL, model_provider="azure_openai"),  # expect: langchain.model-provider-azure-openai
        init_chat_model(MODEL, model_provider="anthropic"),  # expect: langchain.model-provider-anthropic
        init_chat_model(MODEL, model_provider="google_vertexai"),  # expect: langchain.model-provider-google
        init_chat_model(MODEL, model_provider="bedrock_converse"),  # expect: langchain.model-provider-bedrock
        init_chat_model(MODEL, model_provider="mistralai"),  # expect: langchain.model-provider-mistral
        init_chat_model(MODEL, model_provider="cohere"),  # expect: langchain.model-provider-cohere
        init_chat_model(MODEL, model_provider="groq"),  # expect: langchain.model-provider-groq
        init_chat_model(MODEL, model_provider="together"),  # expect: langchain.model-provider-together
        init_chat_model(MODEL, model_provider="fireworks"),  # expect: langchain.model-provider-fireworks
        init_chat_model(MODEL, model_provider="ollama"),  # expect: langchain.model-provider-ollama
        init_chat_model(MODEL, model_provider="deepseek"),  # expect: langchain.model-provider-deepseek
        init_chat_model(MODEL, model_provider="xai"),  # expect: langchain.model-provider-xai
        init_chat_model(MODEL, model_provider="huggingface"),  # expect: langchain.model-provider-huggingface
        init_chat_model(MODEL, model_provider=settings.provider),  # ok: langchain.model-provider-openai, langchain.model-provider-azure-openai, langchain.model-provider-anthropic, langchain.model-provider-google, langchain.model-provider-bedrock, langchain.model-provider-mistral, langchain.model-provider-cohere, langchain.model-provider-groq, langchain.model-provider-together, langchain.model-provider-fireworks, langchain.model-provider-ollama, langchain.model-provider-deepseek, langchain.model-provider-xai, langchain.model-provider-huggingface
        init_chat_model(MODEL, model_provider="openai_like"),  # ok: langchain.model-provider-openai
        init_chat_model(MODEL, temperature="anthropic"),  # ok: langchain.model-provider-anthropic
        other(MODEL, model_provider="anthropic"),  # ok: langchain.model-provider-anthropic
    ]


MODEL = "configured-elsewhere"
PROSE = ["openai: a company", "anthropic:", "ollama: local runner", "google_genai: package"]  # ok: langchain.model-string-openai, langchain.model-string-anthropic, langchain.model-string-ollama, langchain.model-string-google
TIMES = ["groq: fast", "cohere: docs", "xai: grok", "deepseek: models", "mistralai: x"]  # ok: langchain.model-string-groq, langchain.model-string-cohere, langchain.model-string-xai, langchain.model-string-deepseek, langchain.model-string-mistral
MORE = ["together: we", "fireworks: show", "bedrock: rock", "azure_openai: note", "huggingface: hub"]  # ok: langchain.model-string-together, langchain.model-string-fireworks, langchain.model-string-bedrock, langchain.model-string-azure-openai, langchain.model-string-huggingface


class ChatOpenAILike:
    """A repo's own class named like the wrapper: not LangChain."""

    def __init__(self, **kwargs) -> None:
        self.kwargs = kwargs


def lookalikes(local, row) -> None:
    ChatOpenAILike(model="x", seed=1)  # ok: langchain.chat-openai, langchain.openai-options
    local.ChatAnthropic(thinking={})  # ok: langchain.chat-anthropic, langchain.anthropic-options
    local.ChatGoogleGenerativeAI(safety_settings={})  # ok: langchain.chat-google, langchain.google-options
    local.ChatBedrock(region_name="x")  # ok: langchain.chat-bedrock, langchain.bedrock-options
    local.ChatMistralAI(random_seed=1)  # ok: langchain.chat-mistral, langchain.mistral-options
    local.ChatOllama(keep_alive=1)  # ok: langchain.chat-ollama, langchain.ollama-options
    local.AzureChatOpenAI(deployment_name="x", openai_api_version="1")  # ok: langchain.chat-azure, langchain.azure-options
    local.ChatCohere()  # ok: langchain.chat-cohere
    local.ChatGroq()  # ok: langchain.chat-groq
    local.ChatTogether()  # ok: langchain.chat-together
    local.ChatFireworks()  # ok: langchain.chat-fireworks
    local.ChatDeepSeek()  # ok: langchain.chat-deepseek
    local.ChatXAI()  # ok: langchain.chat-xai
    local.ChatHuggingFace()  # ok: langchain.chat-huggingface
    local.AzureChatOpenAI()  # ok: langchain.chat-azure
    local.ChatTongyi()  # ok: langchain.chat-dashscope
    local.Replicate()  # ok: langchain.chat-replicate
    local.OpenAIEmbeddings()  # ok: langchain.embeddings-openai
    local.AzureOpenAIEmbeddings()  # ok: langchain.embeddings-azure
    local.GoogleGenerativeAIEmbeddings()  # ok: langchain.embeddings-google
    local.BedrockEmbeddings()  # ok: langchain.embeddings-bedrock
    local.MistralAIEmbeddings()  # ok: langchain.embeddings-mistral
    local.CohereEmbeddings()  # ok: langchain.embeddings-cohere
    local.TogetherEmbeddings()  # ok: langchain.embeddings-together
    local.FireworksEmbeddings()  # ok: langchain.embeddings-fireworks
    local.OllamaEmbeddings()  # ok: langchain.embeddings-ollama
    local.DashScopeEmbeddings()  # ok: langchain.embeddings-dashscope
    local.HuggingFaceEndpointEmbeddings()  # ok: langchain.embeddings-huggingface
    print(row.response_metadata["ratings"])  # ok: langchain.response-metadata-google
    print(row.response_metadata["stop_reason"])  # expect: langchain.response-metadata-anthropic
    if row.response_metadata["finish_reason"] == "stop":  # expect: openai.finish-reason  # ok: langchain.finish-reason-openai
        pass
    if row.finish_reason == "SAFETY":  # expect: google.finish-reason  # ok: langchain.finish-reason-google
        pass


def other(*args, **kwargs):
    return args, kwargs
