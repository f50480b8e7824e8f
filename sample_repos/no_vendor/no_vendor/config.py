"""Configuration loading.

The config file has one section per external system, e.g.::

    [openai]            # Open Annotation Interface, not the AI company
    url = "https://oai.labs.internal"
    token_env = "OAI_TOKEN"
    project = "street-signs"
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class ServerSettings:
    url: str
    token: str
    project: str


def load_config(path: str | Path = "labelkit.toml") -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def server_settings(config: dict[str, Any]) -> ServerSettings:
    """Settings for the annotation server, from the ``[openai]`` section."""
    openai = config.get("openai")
    if not openai:
        raise KeyError("config has no [openai] section")
    token = os.environ.get(openai.get("token_env", "OAI_TOKEN"), "")
    return ServerSettings(url=openai["url"], token=token, project=openai.get("project", "default"))
