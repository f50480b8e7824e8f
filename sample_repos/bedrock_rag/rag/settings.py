"""Service settings, read from the environment."""

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    aws_region: str = "us-east-1"
    openai_api_key: str = "EMPTY"
    guardrail_id: str = ""
    top_k: int = 4


settings = Settings()
