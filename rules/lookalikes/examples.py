# Lookalikes across vendors: a repository's own classes, dicts and prose that share names
# with vendor SDKs. Nothing here may be reported. This file is scanned, never run.
from dataclasses import dataclass


class Mistral:
    """The team's wind-forecast client, named after the wind."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.chat = None

    def complete(self, **kwargs) -> dict:
        return kwargs


class Together:
    def group(self, *items) -> list:
        return list(items)


class GenerativeModel:
    """A local procedural-art generator."""

    def generate_content(self, seed: int) -> str:
        return str(seed)


class Generation:
    @staticmethod
    def call(model: str, **kwargs) -> dict:
        return {"model": model, **kwargs}


@dataclass
class InferenceClient:
    url: str

    def text_generation(self, prompt: str) -> str:
        return prompt


def use_local_classes() -> None:
    wind = Mistral("provence")  # ok: mistral.client
    wind.complete(random_seed=1, safe_prompt=False)  # ok: mistral.chat, mistral.random-seed, mistral.safe-prompt
    Together().group(1, 2)  # ok: together.client
    GenerativeModel().generate_content(3)  # ok: google.legacy-model, google.legacy-generate, google.vertexai-model, google.vertexai-generate
    Generation.call(model="fractal", result_format="svg")  # ok: dashscope.generation, dashscope.result-format
    InferenceClient("http://localhost").text_generation("x")  # ok: huggingface.client, huggingface.text-generation


RECORD = {"name": "alice", "parameters": {"age": 3}, "description": "a person"}  # ok: openai.tool-schema, openai.responses-tool-schema, cohere.tool-schema-v1
MENU = {"name": "soup", "parameter_definition": "hot"}  # ok: cohere.tool-schema-v1
PLOT = {"role": "model", "actor": "x"}  # ok: google.model-role
ROW = {"call": 1, "output": 2}  # ok: cohere.tool-results-v1
CONTENT = {"role": "user", "parts": ["a"]}  # ok: google.model-role

PROSE = [
    "GPT-4 and Claude 3 were compared with Gemini Pro and Llama 3 in our survey.",  # ok: prompts.self-reference-openai, prompts.self-reference-anthropic, prompts.self-reference-google
    "Mixtral and Qwen are open-weight families.",  # ok: mistral.model-id-floating, qwen.model-id
    "We are Gemini-born twins",  # ok: prompts.self-reference-google
]
VERSIONS = ["llama-2", "gemini-season", "claude-monet", "grok", "command-line", "qwen"]  # ok: llama.model-id, google.model-id-floating, anthropic.model-id-floating, xai.model-id, cohere.model-id, dashscope.model-id
PATHS = ["meta-llama/README.md", "accounts/acme/billing", "Qwen/docs"]  # ok: llama.model-id, fireworks.fine-tuned-model, qwen.model-id
