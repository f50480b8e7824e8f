"""Lookups in the model data: which record a model id as written in code names, which
family it belongs to, which licence binds its weights.

Code writes ids in several spellings for one model: a router's provider prefix
(``anthropic/claude-3-5-sonnet-20241022``, ``groq:llama-3.1-8b-instant``), the Gemini
API's ``models/``, a Bedrock cross-region profile (``us.anthropic...``), an Ollama tag
(``llama3.1:8b`` of ``llama3.1``). ``spellings`` lists the candidates, most specific first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lockscan.catalog.data import CatalogData, ModelRecord, load_data
from lockscan.model import LicenceInfo

# Provider prefixes of routers and frameworks (litellm's `provider/model`, LangChain's
# `provider:model`): taken off an id before it is looked up.
ROUTER_PREFIX = re.compile(
    r"^(?:openai|azure|azure_ai|anthropic|gemini|vertex_ai|vertex_ai_beta|google_genai|"
    r"google_vertexai|bedrock|bedrock_converse|converse|ollama|ollama_chat|groq|mistral|"
    r"cohere|cohere_chat|together|together_ai|fireworks|fireworks_ai|xai|deepseek|"
    r"dashscope|replicate|openrouter|huggingface)[/:](?P<rest>.+)$")
GOOGLE_PREFIX = re.compile(r"^(?:models|tunedModels)/(?P<rest>.+)$")
BEDROCK_REGION = re.compile(r"^(?:us|eu|apac|au|ca|jp|us-gov|global)\.(?P<rest>.+)$")
OLLAMA_TAG = re.compile(r"^(?P<rest>[a-z0-9][a-z0-9._-]*):[A-Za-z0-9._-]+$")


@dataclass(frozen=True, slots=True)
class Match:
    """What the data says about an id as written: the id it was found under and its
    records at the vendor (empty when the data does not list it)."""

    id: str
    records: tuple[ModelRecord, ...] = ()
    family: str | None = None


class Catalog:
    """The bundled model data, ready for lookups. Build one per scan (``Catalog.load``)."""

    def __init__(self, data: CatalogData) -> None:
        self.data = data
        self.vendors = frozenset(vendor for vendor, _ in data.records)
        members: dict[tuple[str, str], list[ModelRecord]] = {}
        for records in data.records.values():
            for record in records:
                if record.family:
                    members.setdefault((record.vendor, record.family), []).append(record)
        self._members = {key: tuple(value) for key, value in members.items()}

    @classmethod
    def load(cls) -> Catalog:
        return cls(load_data())

    @property
    def refreshed(self) -> str:
        return self.data.refreshed

    def find(self, vendor: str, written: str) -> Match:
        """The records of ``written`` at ``vendor``; when none, the id (prefixes taken
        off) and the vendor family its pattern names, if any."""
        candidates = spellings(written, vendor)
        for candidate in candidates:
            records = self.data.records.get((vendor, candidate))
            if records:
                return Match(candidate, records, records[0].family)
        bare = bare_id(written, vendor)
        return Match(bare, (), self.family_of(vendor, bare))

    def family_of(self, vendor: str, model_id: str) -> str | None:
        """The first family pattern of ``vendor`` that matches ``model_id``."""
        for family in self.data.families:
            if family.vendor == vendor and family.regex.search(model_id):
                return family.family
        return None

    def members(self, vendor: str, family: str) -> tuple[ModelRecord, ...]:
        """Every id of one family at one vendor."""
        return self._members.get((vendor, family), ())

    def stem_members(self, vendor: str, family: str) -> tuple[ModelRecord, ...]:
        """Every id of ``vendor`` whose family is ``family`` at another version
        (``gemini-2.0``, ``gemini-2.5`` and ``gemini`` for ``gemini-1.5``)."""
        stem = _stem(family)
        return tuple(record for (owner, name), records in sorted(self._members.items())
                     if owner == vendor and stem and _stem(name) == stem for record in records)

    def licence_of(self, written: str) -> LicenceInfo | None:
        """The licence of the open-weight family ``written`` names, by any spelling."""
        for candidate in spellings(written, "ollama"):
            for family in self.data.open_families:
                if any(p.search(candidate) for p in family.patterns):
                    return replace(self.data.licences[family.licence], family=family.family)
        return None


def spellings(written: str, vendor: str) -> list[str]:
    """``written`` and the ids it may stand for at ``vendor``, most specific first: the
    bare id after every prefix is taken off, then (Ollama) the tag's base name."""
    out = [written]
    current = written
    for pattern in _prefixes(vendor):
        found = pattern.match(current)
        if found:
            current = found["rest"]
            out.append(current)
    tag = OLLAMA_TAG.match(current) if vendor == "ollama" else None
    if tag:
        out.append(tag["rest"])
    return list(dict.fromkeys(out))


def bare_id(written: str, vendor: str) -> str:
    """``written`` with router, ``models/`` and (Bedrock) region prefixes taken off."""
    for pattern in _prefixes(vendor):
        found = pattern.match(written)
        if found:
            written = found["rest"]
    return written


def _prefixes(vendor: str) -> tuple[re.Pattern[str], ...]:
    return (ROUTER_PREFIX, GOOGLE_PREFIX, *((BEDROCK_REGION,) if vendor == "bedrock" else ()))


def _stem(family: str) -> str:
    """A family name without its version: ``gemini-1.5`` -> ``gemini``."""
    return re.sub(r"[-.]?\d[\d.]*$", "", family)
