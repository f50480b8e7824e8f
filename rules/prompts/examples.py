# Examples for the prompt-portability rules in rules/prompts/. This file is scanned, never run.
import tiktoken

LLAMA2 = "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\n{question} [/INST]"  # expect: llama.llama2-chat-template  # ok: prompts.mistral-instruct-template
MISTRAL = "<s>[INST] {question} [/INST]"  # expect: prompts.mistral-instruct-template
MISTRAL_V7 = "[SYSTEM_PROMPT]Be brief.[/SYSTEM_PROMPT][INST]hi[/INST]"  # expect: prompts.mistral-instruct-template
LLAMA3 = (
    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"  # expect: llama.llama3-chat-template
    "{system}<|eot_id|>"
)
STOP = ["<|eot_id|>"]  # expect: llama.llama3-chat-template
CHATML = "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>"  # expect: qwen.chatml-template
PHI4 = "<|im_start|>user<|im_sep|>{question}<|im_end|>"  # expect: phi.chat-template  # ok: qwen.chatml-template
PHI3 = "<|user|>\n{question}<|end|>\n<|assistant|>"  # expect: phi.chat-template
GEMMA = "<start_of_turn>user\n{question}<end_of_turn>\n<start_of_turn>model\n"  # expect: gemma.chat-template
COMMAND_R = "<|START_OF_TURN_TOKEN|><|USER_TOKEN|>{question}<|END_OF_TURN_TOKEN|>"  # expect: prompts.command-r-template
DEEPSEEK = "<｜begin▁of▁sentence｜><｜User｜>{question}<｜Assistant｜>"  # expect: prompts.deepseek-template
HARMONY = "<|start|>assistant<|channel|>final<|message|>"  # expect: prompts.harmony-template
LEGACY = "\n\nHuman: {question}\n\nAssistant:"  # expect: prompts.anthropic-legacy-turns
LEGACY_START = "Human: {question}\n\nAssistant:"  # expect: prompts.anthropic-legacy-turns


def prompt_for(name: str, question: str) -> str:
    return f"<|im_start|>user\n{question}<|im_end|>"  # expect: qwen.chatml-template


SYSTEM_OPENAI = "You are ChatGPT, a large language model trained by OpenAI."  # expect: prompts.self-reference-openai
SYSTEM_CLAUDE = "You are Claude, an AI assistant."  # expect: prompts.self-reference-anthropic
AS_CLAUDE = "Answer as Claude would."  # expect: prompts.self-reference-anthropic
SYSTEM_GEMINI = "You are Gemini, a helpful model."  # expect: prompts.self-reference-google
GPT4 = "You are GPT-4o. Answer briefly."  # expect: prompts.self-reference-openai

# Lookalikes: prose and markup that only resemble template tokens or self-references.
ABOUT = "We compared ChatGPT, Claude and Gemini in a blog post."  # ok: prompts.self-reference-openai, prompts.self-reference-anthropic, prompts.self-reference-google
MONET = "as Claude Monet painted it"  # ok: prompts.self-reference-anthropic
ZODIAC = "You are Gemini Rising this month"  # ok: prompts.self-reference-google
MARKDOWN = "[INSTALL] run make"  # ok: prompts.mistral-instruct-template
SYSCALL = "<SYS> not a template"  # ok: llama.llama2-chat-template
HTML = "<|endoftext|>"  # ok: llama.llama3-chat-template, qwen.chatml-template, phi.chat-template, prompts.harmony-template
TURNS = "start_of_turn_marker"  # ok: gemma.chat-template
COMMAND = "<|TOKEN|>"  # ok: prompts.command-r-template
PIPES = "<|User|>"  # ok: prompts.deepseek-template
HR = "Human resources: see the wiki"  # ok: prompts.anthropic-legacy-turns
TRAINING = "trained by OpenAIs competitor"  # ok: prompts.self-reference-openai


def count(text: str) -> int:
    # tiktoken counts tokens for the project's own budgets: an estimate, not a request to
    # a vendor (bench/realcode/LABELLING.md), so none of it is reported.
    encoding = tiktoken.get_encoding("cl100k_base")  # ok: prompts.harmony-template
    return len(encoding.encode(text))


def transcript(reply: str, log) -> None:
    print(f"Assistant: {reply}")  # ok: prompts.anthropic-legacy-turns
    log.info("Human: %s", reply)  # ok: prompts.anthropic-legacy-turns


FEW_SHOT = "Human: What is 2+2?\nAssistant: 4\nHuman: {question}\nAssistant:"  # ok: prompts.anthropic-legacy-turns


MODELS = [
    "meta-llama/Llama-3.1-8B-Instruct",  # expect: llama.model-id
    "meta-llama/Meta-Llama-3-70B-Instruct",  # expect: llama.model-id
    "Qwen/Qwen2.5-72B-Instruct",  # expect: qwen.model-id
    "google/gemma-2-9b-it",  # expect: gemma.model-id
    "microsoft/Phi-3-mini-4k-instruct",  # expect: phi.model-id
    "meta-llama/llama-recipes",  # ok: llama.model-id
    "Qwen/awesome-qwen",  # ok: qwen.model-id
    "google/gemini-2.5-pro",  # expect: openrouter.model-id  # ok: gemma.model-id
    "microsoft/vscode",  # ok: phi.model-id
    "gemma-4-31b",  # expect: gemma.model-id
    "gemma-notes-v2",  # ok: gemma.model-id
]
