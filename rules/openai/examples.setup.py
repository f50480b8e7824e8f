# Examples for openai.dependency, read as a setup.py: literals only, never run.
from setuptools import setup

BASE = [
    "openai>=1.0",  # expect: openai.dependency
    "httpx",
]
DOCS = "Install openai>=1.0 for the chat helpers."  # ok: openai.dependency

setup(
    name="chat-helpers",
    install_requires=BASE,
    extras_require={
        "legacy": ["openai==0.28.1"],  # expect: openai.dependency
        "audio": ["openai-whisper"],  # ok: openai.dependency
    },
)
