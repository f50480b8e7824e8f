# Examples for rules/agno/rules.toml. This file is scanned, never run.
# Each provider: its public model class (reported) and Agno internals or a local class
# of the same name (not reported).
from agno.agent import Agent
from agno.models.base import Model  # ok: agno.import-openai
from agno.models.openai.like import OpenAILike  # ok: agno.import-openai

import local_models
from model_names import load_model_name

MODEL = load_model_name()

from agno.models.openai import OpenAIChat as OpenAIChat_openai  # expect: agno.import-openai
from agno.models.openai.internal import OpenAIChat as OpenAIChat_openai_internal  # ok: agno.import-openai
from agno.models.azure import AzureOpenAI as AzureOpenAI_azure  # expect: agno.import-azure
from agno.models.azure.internal import AzureOpenAI as AzureOpenAI_azure_internal  # ok: agno.import-azure
from agno.models.anthropic import Claude as Claude_anthropic  # expect: agno.import-anthropic
from agno.models.anthropic.internal import Claude as Claude_anthropic_internal  # ok: agno.import-anthropic
from agno.models.google import Gemini as Gemini_google  # expect: agno.import-google
from agno.models.google.internal import Gemini as Gemini_google_internal  # ok: agno.import-google
from agno.models.aws import AwsBedrock as AwsBedrock_aws  # expect: agno.import-aws
from agno.models.aws.internal import AwsBedrock as AwsBedrock_aws_internal  # ok: agno.import-aws
from agno.models.groq import Groq as Groq_groq  # expect: agno.import-groq
from agno.models.groq.internal import Groq as Groq_groq_internal  # ok: agno.import-groq
from agno.models.mistral import MistralChat as MistralChat_mistral  # expect: agno.import-mistral
from agno.models.mistral.internal import MistralChat as MistralChat_mistral_internal  # ok: agno.import-mistral
from agno.models.ollama import Ollama as Ollama_ollama  # expect: agno.import-ollama
from agno.models.ollama.internal import Ollama as Ollama_ollama_internal  # ok: agno.import-ollama
from agno.models.cohere import Cohere as Cohere_cohere  # expect: agno.import-cohere
from agno.models.cohere.internal import Cohere as Cohere_cohere_internal  # ok: agno.import-cohere
from agno.models.deepseek import DeepSeek as DeepSeek_deepseek  # expect: agno.import-deepseek
from agno.models.deepseek.internal import DeepSeek as DeepSeek_deepseek_internal  # ok: agno.import-deepseek
from agno.models.together import Together as Together_together  # expect: agno.import-together
from agno.models.together.internal import Together as Together_together_internal  # ok: agno.import-together
from agno.models.fireworks import Fireworks as Fireworks_fireworks  # expect: agno.import-fireworks
from agno.models.fireworks.internal import Fireworks as Fireworks_fireworks_internal  # ok: agno.import-fireworks
from agno.models.openrouter import OpenRouter as OpenRouter_openrouter  # expect: agno.import-openrouter
from agno.models.openrouter.internal import OpenRouter as OpenRouter_openrouter_internal  # ok: agno.import-openrouter
from agno.models.xai import xAI as xAI_xai  # expect: agno.import-xai
from agno.models.xai.internal import xAI as xAI_xai_internal  # ok: agno.import-xai
from agno.models.huggingface import HuggingFace as HuggingFace_huggingface  # expect: agno.import-huggingface
from agno.models.huggingface.internal import HuggingFace as HuggingFace_huggingface_internal  # ok: agno.import-huggingface
from agno.models.litellm import LiteLLM as LiteLLM_litellm  # expect: agno.import-litellm
from agno.models.litellm.internal import LiteLLM as LiteLLM_litellm_internal  # ok: agno.import-litellm
from agno.models.dashscope import DashScope as DashScope_dashscope  # expect: agno.import-dashscope
from agno.models.dashscope.internal import DashScope as DashScope_dashscope_internal  # ok: agno.import-dashscope

OpenAIChat_openai(MODEL)  # expect: agno.model-openai
local_models.OpenAIChat(MODEL)  # ok: agno.model-openai
AzureOpenAI_azure(MODEL)  # expect: agno.model-azure
local_models.AzureOpenAI(MODEL)  # ok: agno.model-azure
Claude_anthropic(MODEL)  # expect: agno.model-anthropic
local_models.Claude(MODEL)  # ok: agno.model-anthropic
Gemini_google(MODEL)  # expect: agno.model-google
local_models.Gemini(MODEL)  # ok: agno.model-google
AwsBedrock_aws(MODEL)  # expect: agno.model-aws
local_models.AwsBedrock(MODEL)  # ok: agno.model-aws
Groq_groq(MODEL)  # expect: agno.model-groq
local_models.Groq(MODEL)  # ok: agno.model-groq
MistralChat_mistral(MODEL)  # expect: agno.model-mistral
local_models.MistralChat(MODEL)  # ok: agno.model-mistral
Ollama_ollama(MODEL)  # expect: agno.model-ollama
local_models.Ollama(MODEL)  # ok: agno.model-ollama
Cohere_cohere(MODEL)  # expect: agno.model-cohere
local_models.Cohere(MODEL)  # ok: agno.model-cohere
DeepSeek_deepseek(MODEL)  # expect: agno.model-deepseek
local_models.DeepSeek(MODEL)  # ok: agno.model-deepseek
Together_together(MODEL)  # expect: agno.model-together
local_models.Together(MODEL)  # ok: agno.model-together
Fireworks_fireworks(MODEL)  # expect: agno.model-fireworks
local_models.Fireworks(MODEL)  # ok: agno.model-fireworks
OpenRouter_openrouter(MODEL)  # expect: agno.model-openrouter
local_models.OpenRouter(MODEL)  # ok: agno.model-openrouter
xAI_xai(MODEL)  # expect: agno.model-xai
local_models.xAI(MODEL)  # ok: agno.model-xai
HuggingFace_huggingface(MODEL)  # expect: agno.model-huggingface
local_models.HuggingFace(MODEL)  # ok: agno.model-huggingface
LiteLLM_litellm(MODEL)  # expect: agno.model-litellm
local_models.LiteLLM(MODEL)  # ok: agno.model-litellm
DashScope_dashscope(MODEL)  # expect: agno.model-dashscope
local_models.DashScope(MODEL)  # ok: agno.model-dashscope

from agno.models.openai import OpenAIResponses  # expect: agno.import-openai

agent = Agent(model=OpenAIResponses(id="gpt-5.2"), markdown=True)  # expect: agno.model-openai, openai.model-id-floating
custom = OpenAILike(id=MODEL, base_url="http://localhost:8000/v1")  # ok: agno.model-openai


class MyModel(Model):  # ok: agno.model-openai
    pass
