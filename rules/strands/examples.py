# Examples for rules/strands/rules.toml. This file is scanned, never run.
from strands import Agent
from strands.models.model import Model  # ok: strands.import-bedrock

import local_models
from model_names import load_model_name

MODEL = load_model_name()

from strands.models.bedrock import BedrockModel as BedrockModel_bedrock  # expect: strands.import-bedrock
from strands.models.bedrock.internal import BedrockModel as BedrockModel_bedrock_internal  # ok: strands.import-bedrock
from strands.models.anthropic import AnthropicModel as AnthropicModel_anthropic  # expect: strands.import-anthropic
from strands.models.anthropic.internal import AnthropicModel as AnthropicModel_anthropic_internal  # ok: strands.import-anthropic
from strands.models.openai import OpenAIModel as OpenAIModel_openai  # expect: strands.import-openai
from strands.models.openai.internal import OpenAIModel as OpenAIModel_openai_internal  # ok: strands.import-openai
from strands.models.gemini import GeminiModel as GeminiModel_gemini  # expect: strands.import-gemini
from strands.models.gemini.internal import GeminiModel as GeminiModel_gemini_internal  # ok: strands.import-gemini
from strands.models.litellm import LiteLLMModel as LiteLLMModel_litellm  # expect: strands.import-litellm
from strands.models.litellm.internal import LiteLLMModel as LiteLLMModel_litellm_internal  # ok: strands.import-litellm
from strands.models.mistral import MistralModel as MistralModel_mistral  # expect: strands.import-mistral
from strands.models.mistral.internal import MistralModel as MistralModel_mistral_internal  # ok: strands.import-mistral
from strands.models.ollama import OllamaModel as OllamaModel_ollama  # expect: strands.import-ollama
from strands.models.ollama.internal import OllamaModel as OllamaModel_ollama_internal  # ok: strands.import-ollama

BedrockModel_bedrock(MODEL)  # expect: strands.model-bedrock
local_models.BedrockModel(MODEL)  # ok: strands.model-bedrock
AnthropicModel_anthropic(MODEL)  # expect: strands.model-anthropic
local_models.AnthropicModel(MODEL)  # ok: strands.model-anthropic
OpenAIModel_openai(MODEL)  # expect: strands.model-openai
local_models.OpenAIModel(MODEL)  # ok: strands.model-openai
GeminiModel_gemini(MODEL)  # expect: strands.model-gemini
local_models.GeminiModel(MODEL)  # ok: strands.model-gemini
LiteLLMModel_litellm(MODEL)  # expect: strands.model-litellm
local_models.LiteLLMModel(MODEL)  # ok: strands.model-litellm
MistralModel_mistral(MODEL)  # expect: strands.model-mistral
local_models.MistralModel(MODEL)  # ok: strands.model-mistral
OllamaModel_ollama(MODEL)  # expect: strands.model-ollama
local_models.OllamaModel(MODEL)  # ok: strands.model-ollama

tutor = Agent(model=BedrockModel_bedrock(model_id="us.anthropic.claude-sonnet-4-20250514-v1:0", temperature=0.3))  # expect: strands.model-bedrock, bedrock.model-id
default = Agent()  # ok: strands.model-bedrock
