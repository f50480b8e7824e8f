# Examples for rules/openai_compatible/rules.toml: the OpenAI SDK pointed at another
# host. `rule@vendor` checks the finding's vendor too. Scanned, never run.
import os

from openai import AsyncOpenAI, OpenAI  # expect: openai.import

LOCAL_URL = "http://localhost:8000/v1"

local = OpenAI(base_url=LOCAL_URL, api_key="EMPTY")  # expect: openai.client@openai_compatible
claude = OpenAI(base_url="https://api.anthropic.com/v1/", api_key=os.environ["ANTHROPIC_API_KEY"])  # expect: openai.client@anthropic, anthropic.env-var
from_env = AsyncOpenAI(base_url=os.getenv("ANTHROPIC_BASE_URL"))  # expect: openai.client@anthropic, anthropic.env-var
gateway = OpenAI(base_url="https://llm-gateway.internal.example.com/v1")  # expect: openai.client@openai_compatible
docker = OpenAI(base_url="http://vllm:8000/v1")  # expect: openai.client@openai_compatible
official = OpenAI(base_url="https://api.openai.com/v1")  # expect: openai.client@openai
plain = OpenAI()  # expect: openai.client@openai
mantle = OpenAI(base_url="https://bedrock-mantle.us-east-1.api.aws/v1")  # expect: openai.client@bedrock
bedrock_compat = OpenAI(base_url="https://bedrock-runtime.eu-west-1.amazonaws.com/openai/v1")  # expect: openai.client@bedrock
s3_lookalike = OpenAI(base_url="https://s3.eu-west-1.amazonaws.com/openai/v1")  # expect: openai.client@openai_compatible
unreadable = OpenAI(base_url=os.environ["LLM_BASE_URL"])  # expect: openai.client@openai, openai.env-var
settings_field = OpenAI(base_url=settings.anthropic_base_url)  # expect: openai.client@anthropic
other_field = OpenAI(base_url=settings.llm_base_url)  # expect: openai.client@openai


together = OpenAI(base_url="https://api.together.xyz/v1", api_key=os.environ["TOGETHER_API_KEY"])  # expect: openai.client@together, together.env-var
own_name = OpenAI(base_url="https://api.example-llm.dev/v1", api_key=os.environ["EXAMPLE_LLM_KEY"])  # expect: openai.client@openai_compatible, openai.env-var@openai_compatible
groq = AsyncOpenAI(base_url="https://api.groq.com/openai/v1")  # expect: openai.client@groq
fireworks = OpenAI(base_url="https://api.fireworks.ai/inference/v1")  # expect: openai.client@fireworks
deepseek = OpenAI(base_url="https://api.deepseek.com")  # expect: openai.client@deepseek
openrouter = OpenAI(base_url="https://openrouter.ai/api/v1")  # expect: openai.client@openrouter
xai = OpenAI(base_url="https://api.x.ai/v1")  # expect: openai.client@xai
mistral = OpenAI(base_url="https://api.mistral.ai/v1")  # expect: openai.client@mistral
qwen = OpenAI(base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")  # expect: openai.client@dashscope
gemini = OpenAI(base_url="https://generativelanguage.googleapis.com/v1beta/openai/")  # expect: openai.client@google
gemini_native = OpenAI(base_url="https://generativelanguage.googleapis.com/v1beta/")  # expect: openai.client@openai_compatible
azure_v1 = OpenAI(base_url="https://my-resource.openai.azure.com/openai/v1/")  # expect: openai.client@azure_openai, azure_openai.endpoint-url
ollama = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")  # expect: openai.client@ollama
ollama_env = OpenAI(base_url=os.environ["OLLAMA_HOST"] + "/v1")  # expect: openai.client@ollama, ollama.env-var
together_env = OpenAI(base_url=os.getenv("TOGETHER_BASE_URL", "https://api.together.xyz/v1"))  # expect: openai.client@together, together.env-var
groq_setting = OpenAI(base_url=settings.groq_base_url)  # expect: openai.client@groq
lm_studio = OpenAI(base_url="http://localhost:1234/v1")  # expect: openai.client@openai_compatible


def ask(question: str) -> str:
    response = local.chat.completions.create(model="my-llama", messages=[])  # expect: openai.chat-completion@openai_compatible
    if response.choices[0].finish_reason == "length":  # expect: openai.finish-reason@openai_compatible
        return ""
    return response.choices[0].message.content  # expect: openai.response-content@openai_compatible


async def ask_claude(question: str) -> str:
    response = await from_env.chat.completions.create(model="claude-sonnet-4-5", messages=[])  # expect: openai.chat-completion@anthropic, anthropic.model-id-floating
    return response.choices[0].message.content  # expect: openai.response-content@anthropic


class OpenAIish:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url


mine = OpenAIish(base_url="https://api.anthropic.com/v1/")  # ok: openai.client


from langchain_openai import ChatOpenAI  # expect: langchain.import-openai

llm = ChatOpenAI(model="llama-3.3-70b-versatile", base_url="https://api.groq.com/openai/v1")  # expect: langchain.chat-openai@groq, groq.model-id
legacy_llm = ChatOpenAI(openai_api_base="https://api.deepseek.com/v1")  # expect: langchain.chat-openai@deepseek
