"""Build lockscan's bundled model data: ``rules/models/lifecycle.json`` and ``licences.json``.

lockscan never uses the network while it scans, so what it knows about model ids (vendor,
family, pinned snapshot or floating alias, deprecation and shutdown dates, successor, and
the licence of open-weight families) is data built by this script and committed.

Inputs
    * litellm's model map, ``model_prices_and_context_window_backup.json`` inside the
      litellm wheel (``--litellm-wheel``) or the JSON file itself (``--litellm-json``,
      with ``--litellm-version``). Read: ``litellm_provider``, ``mode``,
      ``deprecation_date``, ``deprecation_source``, ``successor_model``, ``alias_of``.
    * ``scripts/model_facts.toml``: hand-maintained, sourced facts from the vendors' own
      deprecation and licence pages, the family regexes and the licence table.

Refreshing the data (standard library only; needs Python >= 3.10 and network for pip)::

    pip download --no-deps litellm==<version> -d /tmp/litellm
    python scripts/build_model_data.py \
        --litellm-wheel /tmp/litellm/litellm-<version>-*.whl --refreshed YYYY-MM-DD

then re-read the vendor pages named in ``[sources]`` of model_facts.toml, update the
``[[lifecycle]]`` facts, run the script again, and review ``git diff rules/models``. The
output is deterministic: sorted keys, stable order, no timestamps other than
``refreshed`` (default: today), so two runs on the same inputs give the same bytes.

How litellm is read
    ``deprecation_date`` is litellm's date after which calls to the model fail (its values
    match the vendors' shutdown / retirement dates), so it becomes ``shutdown``. litellm's
    provider-prefixed keys (``anthropic/...``, ``bedrock/...``, ``vertex_ai/...``,
    ``groq/...``) become the bare id that code passes to that vendor's SDK; pricing
    variants (image sizes and qualities, Bedrock regions, Azure deployment zones) collapse
    onto their model id. Providers lockscan has no vendor for are skipped and counted.
    Vendor facts win over litellm; each value they change is kept in ``disagreements``.

How pinned / floating is decided (first rule that applies)
    1. A vendor fact sets ``pinned`` or ``alias_of``, or litellm gives ``alias_of``.
    2. Floating markers: ``latest`` as a name part (``-latest``, ``@latest``, ``:latest``),
       ``-nightly``, ``@default``, Fireworks routers.
    3. Snapshot markers make an id pinned: a date (``-2024-08-06``, ``-20241022``,
       ``@20241022``; ``-MMDD`` for OpenAI / Azure / xAI / DeepSeek ids; ``-YYMM`` for
       Mistral; ``-MM-YYYY`` for Cohere; dated ``-preview-MM-YYYY`` / ``-exp-MMDD`` for
       Google), or a version (Google ``-00N`` / ``@00N``, Bedrock ``-vN[:M]``).
    4. An undated Anthropic name with a dated twin in the data (``claude-sonnet-4-5`` and
       ``claude-sonnet-4-5-20250929``) is an alias of that twin.
    5. Otherwise by vendor: Bedrock ids, Google ids from Gemini 2.5 on, Anthropic
       versioned names without a twin, open checkpoints on Together / Fireworks / Groq /
       Hugging Face, Ollama names with an explicit tag and DashScope open-weight sizes
       (``qwen3-30b-a3b``) are pinned; everything else (OpenAI / Azure undated names,
       Gemini 1.x / 2.0 auto-updated aliases, Mistral / Cohere / xAI / DeepSeek names
       without a date, DashScope mainline names) is floating.
    ``snapshot`` keeps the marker as written, normalised to ISO when it is a full date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: lockscan already depends on tomli there
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "scripts" / "model_facts.toml"
OUT_DIR = ROOT / "rules" / "models"
LITELLM_MEMBER = "litellm/model_prices_and_context_window_backup.json"
LITELLM_PAGE = "https://pypi.org/project/litellm/{version}/"
REFRESH = (
    "pip download --no-deps litellm==<version> -d /tmp/litellm && "
    "python scripts/build_model_data.py --litellm-wheel /tmp/litellm/litellm-<version>-*.whl "
    "--refreshed YYYY-MM-DD"
)

# litellm provider -> (lockscan vendor id, platform). Platform separates serving surfaces
# of one vendor whose lifecycles differ (Gemini API vs Vertex AI, Bedrock vs its
# OpenAI-compatible "mantle" endpoint).
PROVIDERS: dict[str, tuple[str, str | None]] = {
    "openai": ("openai", None),
    "text-completion-openai": ("openai", None),
    "azure": ("azure_openai", None),
    "azure_text": ("azure_openai", None),
    "anthropic": ("anthropic", None),
    "gemini": ("google", "gemini-api"),
    "bedrock": ("bedrock", None),
    "bedrock_converse": ("bedrock", None),
    "bedrock_mantle": ("bedrock", "mantle"),
    "mistral": ("mistral", None),
    "codestral": ("mistral", None),
    "text-completion-codestral": ("mistral", None),
    "cohere": ("cohere", None),
    "cohere_chat": ("cohere", None),
    "groq": ("groq", None),
    "together_ai": ("together", None),
    "fireworks_ai": ("fireworks", None),
    "fireworks_ai-embedding-models": ("fireworks", None),
    "xai": ("xai", None),
    "deepseek": ("deepseek", None),
    "dashscope": ("dashscope", None),
    "ollama": ("ollama", None),
    "ollama_chat": ("ollama", None),
    "replicate": ("replicate", None),
    "openrouter": ("openrouter", None),
    "huggingface": ("huggingface", None),
}
VERTEX = ("google", "vertex-ai")
# Provider-less litellm entries (only `alias_of`) are kept for these vendors, whose bare
# litellm keys are the vendor's own model names.
ALIAS_VENDORS = frozenset({"openai", "anthropic", "xai", "deepseek", "dashscope"})
# Vendors whose litellm keys carry a route prefix that is not part of the model id.
ROUTES = frozenset({
    "openai", "azure", "anthropic", "gemini", "vertex_ai", "vertex_ai_beta", "bedrock",
    "bedrock_mantle", "mistral", "codestral", "text-completion-codestral",
    "cohere", "cohere_chat", "groq", "together_ai", "fireworks_ai", "xai", "deepseek",
    "dashscope", "ollama", "ollama_chat", "replicate", "openrouter", "huggingface",
})
BEDROCK_ROUTES = frozenset({"converse", "invoke"})
PRICING_SEGMENT = re.compile(r"^(?:\d+-x-\d+|\d+-steps|max-steps|standard|hd|low|medium|high|auto)$")
REGION_SEGMENT = re.compile(r"^(?:[a-z]{2}(?:-gov)?-[a-z]+-\d+|eu|us|apac|global|global-standard|data-zone)$")
SLASH_IDS = frozenset({"together", "fireworks", "groq", "replicate", "openrouter", "huggingface"})
NON_MODEL_IDS = frozenset({"container", "search", "search_api", "guardrails", "model-router", "model_router"})
NON_MODEL_MODES = frozenset({"search", "guardrail", "decisions", "evaluation", "vector_store", "container"})
FIELDS = ("deprecated", "shutdown", "shutdown_not_before", "successor", "alias_of")
LOOKAROUND = re.compile(r"\(\?<?[=!]|\(\?P=|\\[1-9]")


@dataclass
class Model:
    """One (vendor, platform, id) entry of lifecycle.json."""

    vendor: str
    platform: str | None
    id: str
    mode: str | None = None
    rank: int = 9  # 0: plain litellm key, 1: pricing/region variant, 9: vendor fact only
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    disagreements: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    litellm_cites: str | None = None


# --------------------------------------------------------------------------- reading inputs


def read_litellm(wheel: Path | None, path: Path | None, version: str | None) -> tuple[dict, str]:
    """Return litellm's model map and its version."""
    if wheel is not None:
        with zipfile.ZipFile(wheel) as archive:
            data = json.loads(archive.read(LITELLM_MEMBER))
            return data, version or wheel_version(archive)
    if path is None:
        raise SystemExit("give --litellm-wheel or --litellm-json")
    return json.loads(path.read_text(encoding="utf-8")), version or "unknown"


def wheel_version(archive: zipfile.ZipFile) -> str:
    for name in sorted(archive.namelist()):
        if name.endswith(".dist-info/METADATA"):
            for line in archive.read(name).decode("utf-8").splitlines():
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    raise SystemExit("no Version in the wheel's METADATA")


def read_facts(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


# --------------------------------------------------------------------------- litellm keys


def provider_of(key: str, entry: dict[str, Any], data: dict[str, Any]) -> str | None:
    """litellm's provider for an entry; provider-less aliases take their target's."""
    provider = entry.get("litellm_provider")
    if provider is None and entry.get("alias_of") in data:
        target = data[entry["alias_of"]]
        if isinstance(target, dict) and key.split("/", 1)[0] not in {"bedrock", "vertex_ai", "azure"}:
            vendor = vendor_of(target.get("litellm_provider"))
            if vendor and vendor[0] in ALIAS_VENDORS:
                return target.get("litellm_provider")
    return provider


def vendor_of(provider: str | None) -> tuple[str, str | None] | None:
    if provider is None:
        return None
    if provider.startswith("vertex_ai"):
        return VERTEX
    return PROVIDERS.get(provider)


def bare_id(key: str, vendor: str) -> tuple[str, int] | None:
    """The id code passes to the vendor, and 1 if the key was a pricing/region variant."""
    parts, variant = strip_variants(key.split("/"))
    if len(parts) > 1 and parts[0] in ROUTES:  # the provider's own prefix, once
        parts = parts[1:]
    parts, later = strip_variants(parts)
    if vendor == "bedrock" and len(parts) > 1 and parts[0] in BEDROCK_ROUTES:
        parts = parts[1:]
    variant = max(variant, later)
    ident = "/".join(parts)
    if vendor == "fireworks":
        if not key.startswith("fireworks_ai/"):
            return None  # pricing tiers such as "fireworks-ai-above-16b"
        if not ident.startswith("accounts/"):
            ident = "accounts/fireworks/models/" + ident
    elif vendor == "together" and not key.startswith("together_ai/"):
        return None
    elif "/" in ident and vendor not in SLASH_IDS and vendor != "google":
        return None  # e.g. Bedrock "claude_platform/..." routes, not model ids
    return ident, variant


def strip_variants(parts: list[str]) -> tuple[list[str], int]:
    """Drop leading pricing (size, quality, steps) and region / deployment-zone segments."""
    variant = 0
    while len(parts) > 1 and (PRICING_SEGMENT.match(parts[0]) or REGION_SEGMENT.match(parts[0])):
        parts, variant = parts[1:], 1
    return parts, variant


def clean_successor(value: str | None) -> str | None:
    if not value:
        return None
    parts = value.split("/")
    if len(parts) > 1 and parts[0] in ROUTES:
        parts = parts[1:]
    return "/".join(strip_variants(parts)[0])


def usable_url(url: str | None) -> str | None:
    if url and url.startswith("https://") and "subscriptions/" not in url:
        return url
    return None


def litellm_models(data: dict[str, Any]) -> tuple[dict[tuple, Model], Counter, Counter]:
    """Models from litellm, plus counts of skipped entries and skipped dated entries."""
    models: dict[tuple, Model] = {}
    skipped: Counter = Counter()
    skipped_dated: Counter = Counter()
    for key in sorted(data):
        entry = data[key]
        if key == "sample_spec" or not isinstance(entry, dict):
            continue
        if entry.get("mode") in NON_MODEL_MODES:
            skipped[f"mode:{entry['mode']}"] += 1
            continue
        provider = provider_of(key, entry, data)
        vendor = vendor_of(provider)
        parsed = bare_id(key, vendor[0]) if vendor else None
        if parsed is not None and parsed[0] in NON_MODEL_IDS:
            parsed = None
        if vendor is None or parsed is None:
            skipped[str(provider)] += 1
            skipped_dated[str(provider)] += bool(entry.get("deprecation_date"))
            continue
        merge_litellm(models, vendor, parsed, entry)
    return models, skipped, skipped_dated


def merge_litellm(models: dict, vendor: tuple, parsed: tuple[str, int], entry: dict) -> None:
    ident, rank = parsed
    model = models.setdefault((vendor[0], vendor[1], ident), Model(vendor[0], vendor[1], ident))
    incoming = {
        "shutdown": entry.get("deprecation_date"),
        "successor": clean_successor(entry.get("successor_model")),
        "alias_of": clean_successor(entry.get("alias_of")),
    }
    if rank < model.rank:
        model.rank, model.mode = rank, entry.get("mode") or model.mode
    for name, value in incoming.items():
        if not value:
            continue
        current = model.values.get(name)
        if current is None or (rank == 0 and model.sources.get(name) == "litellm-variant"):
            model.values[name] = value
            model.sources[name] = "litellm" if rank == 0 else "litellm-variant"
        elif current != value and name == "shutdown" and value < current and rank:
            model.values[name] = value  # regional variants: keep the earliest date
    if entry.get("deprecation_date") and not model.litellm_cites:
        model.litellm_cites = usable_url(entry.get("deprecation_source"))
    model.mode = model.mode or entry.get("mode")


# --------------------------------------------------------------------------- vendor facts


def apply_facts(models: dict[tuple, Model], facts: list[dict[str, Any]], sources: dict) -> None:
    for fact in facts:
        if fact["source"] not in sources:
            raise SystemExit(f"unknown source {fact['source']!r} in a [[lifecycle]] fact")
        for ident in fact["ids"]:
            key = (fact["vendor"], fact.get("platform"), ident)
            model = models.setdefault(key, Model(*key))
            apply_fact(model, fact)


def apply_fact(model: Model, fact: dict[str, Any]) -> None:
    source = fact["source"]
    for name in (*FIELDS, "pinned"):
        if name not in fact:
            continue
        old = model.values.get(name)
        if old is not None and old != fact[name] and model.sources.get(name, "").startswith("litellm"):
            model.disagreements.append(
                {"field": name, "litellm": str(old), "vendor": str(fact[name]), "source": source}
            )
        model.values[name] = fact[name]
        model.sources[name] = source
    if "note" in fact:
        model.notes.append(fact["note"])


# --------------------------------------------------------------------------- pinned / floating

FLOATING = re.compile(r"(?:^|[-@:/._])latest(?:$|[-_.])|-nightly$|@default$|/routers/")
ISO = re.compile(r"-(20\d{2})-([01]\d)-([0-3]\d)(?:$|-)")
COMPACT = re.compile(r"[-@](20\d{2})([01]\d)([0-3]\d)(?:$|-v\d|@)")
MMDD = re.compile(r"-(0[1-9]|1[0-2])([0-3]\d)(?:$|-)")
YYMM = re.compile(r"-(2[3-9]|3\d)(0[1-9]|1[0-2])(?:$|@)")
COHERE_DATE = re.compile(r"-([01]\d)-(20\d{2})$")
GOOGLE_DATED = re.compile(r"-(?:preview|exp)-(\d{2}-\d{2,4}|\d{4})$|^(?:models/)?gemini-exp-(\d{4})$")
GOOGLE_VERSION = re.compile(r"[-@](\d{3})$")
BEDROCK_VERSION = re.compile(r"-(v\d+(?::\d+)?)$|-(\d+:\d+)$")
GEMINI_ALIAS = re.compile(r"^(?:models/)?gemini-(?:(?:1\.0|1\.5|2\.0)-[a-z-]+|pro|pro-vision|ultra)$")
OPEN_SIZE = re.compile(r"-\d+(?:\.\d+)?b(?:-|$)")
MMDD_VENDORS = frozenset({"openai", "azure_openai", "xai", "deepseek", "dashscope", "together", "fireworks"})
HOST_VENDORS = frozenset({"together", "fireworks", "groq", "huggingface", "bedrock"})


def snapshot_of(model: Model) -> tuple[str | None, str | None]:
    """(snapshot date or marker, version marker) carried by the id, if any."""
    ident, vendor = model.id, model.vendor
    version = None
    if vendor == "bedrock" and (match := BEDROCK_VERSION.search(ident)):
        version = match.group(1) or match.group(2)
    if match := ISO.search(ident):
        return "-".join(match.groups()), version
    if match := COMPACT.search(ident):
        return "-".join(match.groups()), version
    if vendor == "cohere" and (match := COHERE_DATE.search(ident)):
        return f"{match.group(1)}-{match.group(2)}", version
    if vendor == "google" and (match := GOOGLE_DATED.search(ident)):
        return match.group(1) or match.group(2), version
    if vendor == "mistral" and (match := YYMM.search(ident)):
        return match.group(1) + match.group(2), version
    if vendor in MMDD_VENDORS and (match := MMDD.search(ident)):
        return match.group(1) + match.group(2), version
    if vendor == "google" and (match := GOOGLE_VERSION.search(ident)):
        return None, match.group(1)
    return None, version


def dated_twin(model: Model, known: set[tuple]) -> str | None:
    """For an undated Anthropic name, the single dated snapshot of the same name."""
    if model.vendor not in {"anthropic", "google"} or snapshot_of(model) != (None, None):
        return None
    if model.vendor == "google" and not model.id.startswith("claude-"):
        return None
    twins = sorted(
        ident for vendor, platform, ident in known
        if vendor == model.vendor and platform == model.platform
        and re.fullmatch(re.escape(model.id) + r"[-@]20\d{6}", ident)
    )
    return twins[0] if len(twins) == 1 else None


def default_pinned(model: Model) -> bool:
    ident, vendor = model.id, model.vendor
    if vendor in HOST_VENDORS:
        return True
    if vendor == "google":
        return "/" in ident or "@" in ident or not GEMINI_ALIAS.match(ident)
    if vendor == "anthropic":
        return True
    if vendor == "ollama":
        return ":" in ident
    if vendor == "replicate":
        return re.search(r":[0-9a-f]{64}$", ident) is not None
    if vendor == "dashscope":
        return OPEN_SIZE.search(ident) is not None
    return False


def decide_pinning(model: Model, known: set[tuple]) -> None:
    snapshot, version = snapshot_of(model)
    if snapshot:
        model.values.setdefault("snapshot", snapshot)
    if version:
        model.values.setdefault("version", version)
    if "pinned" in model.values:
        return
    if model.values.get("alias_of") or FLOATING.search(model.id):
        model.values["pinned"] = False
    elif snapshot or version:
        model.values["pinned"] = True
    elif twin := dated_twin(model, known):
        model.values["pinned"] = False
        model.values["alias_of"] = twin
        model.sources.setdefault("alias_of", "naming")
    else:
        model.values["pinned"] = default_pinned(model)


# --------------------------------------------------------------------------- families


def check_pattern(pattern: str, where: str) -> re.Pattern[str]:
    """Compile with Python re and reject what RE2 cannot run (lookaround, backreferences)."""
    if LOOKAROUND.search(pattern):
        raise SystemExit(f"{where}: lookaround or backreference is not RE2-compatible: {pattern}")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise SystemExit(f"{where}: {exc}: {pattern}") from exc
    try:
        import re2  # type: ignore[import-not-found]  # optional: lockscan's own engine
    except ImportError:
        return compiled
    try:
        re2.compile(pattern)
    except re2.error as exc:
        raise SystemExit(f"{where}: RE2 rejects {pattern}: {exc}") from exc
    return compiled


def family_table(facts: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for entry in facts["family"]:
        check_pattern(entry["pattern"], f"family {entry['family']}")
        rows.extend(
            {"vendor": vendor, "family": entry["family"], "pattern": entry["pattern"]}
            for vendor in entry["vendors"]
        )
    return rows


def assign_family(model: Model, families: list[dict[str, str]]) -> None:
    for row in families:
        if row["vendor"] == model.vendor and re.fullmatch(row["pattern"], model.id):
            model.values["family"] = row["family"]
            return


# --------------------------------------------------------------------------- output


def model_record(model: Model) -> dict[str, Any]:
    record: dict[str, Any] = {"id": model.id, "vendor": model.vendor}
    if model.platform:
        record["platform"] = model.platform
    if model.mode:
        record["mode"] = model.mode
    for name in ("family", "pinned", "snapshot", "version", *FIELDS):
        if model.values.get(name) is not None:
            record[name] = model.values[name]
    if model.id.startswith("ft:"):
        record["prefix"] = True  # fine-tuned ids continue with ":<org>:<name>:<id>"
    record["sources"] = {
        name: source.replace("litellm-variant", "litellm")
        for name, source in sorted(model.sources.items()) if name in record
    }
    if not record["sources"]:
        record["sources"] = {"id": "litellm"}
    if model.litellm_cites:
        record["litellm_cites"] = model.litellm_cites
    if model.disagreements:
        record["disagreements"] = model.disagreements
    if model.notes:
        record["note"] = "; ".join(model.notes)
    return record


def licence_source_names(facts: dict[str, Any]) -> set[str]:
    entries = [*facts["licences"].values(), *facts["licence_family"]]
    return {entry["source"] for entry in entries}


def used_sources(records: list[dict[str, Any]], facts: dict[str, Any], version: str) -> dict:
    """Every lifecycle source: those models cite and those the pinning rules rest on."""
    sources = facts["sources"]
    names = {name for record in records for name in record.get("sources", {}).values()}
    names |= {item["source"] for record in records for item in record.get("disagreements", [])}
    names |= set(sources) - licence_source_names(facts)
    table = {
        name: {key: value for key, value in sorted(sources[name].items())}
        for name in sorted(names) if name in sources
    }
    table["litellm"] = {
        "what": f"model_prices_and_context_window_backup.json in litellm {version}",
        "url": LITELLM_PAGE.format(version=version),
    }
    table["naming"] = {
        "what": "alias inferred from the vendor's naming scheme: an undated name whose dated snapshot of "
                "the same name is in the data",
        "url": "https://platform.claude.com/docs/en/about-claude/model-deprecations",
    }
    return {name: table[name] for name in sorted(table)}


def lifecycle_document(
    models: dict[tuple, Model], facts: dict[str, Any], version: str, refreshed: str, skipped: tuple
) -> dict[str, Any]:
    families = family_table(facts)
    known = set(models)
    for model in models.values():
        decide_pinning(model, known)
        assign_family(model, families)
    order = sorted(models.values(), key=lambda m: (m.vendor, m.platform or "", m.id))
    records = [model_record(model) for model in order]
    counts, dated = skipped
    return {
        "refreshed": refreshed,
        "how_to_refresh": REFRESH,
        "fields": FIELD_DOC,
        "sources": used_sources(records, facts, version),
        "litellm_skipped": {
            "why": "litellm providers lockscan has no vendor for, pricing tiers and non-model routes",
            "entries": dict(sorted(counts.items())),
            "with_deprecation_date": {k: v for k, v in sorted(dated.items()) if v},
        },
        "families": families,
        "models": records,
    }


FIELD_DOC = {
    "id": "the model id as code passes it to that vendor's SDK or API",
    "vendor": "lockscan vendor id of the API the id is sent to",
    "platform": "serving surface when one vendor has several with different lifecycles",
    "family": "name of the first [families] pattern of this vendor that matches the id",
    "pinned": "true: the id names one fixed snapshot or version; false: a floating alias",
    "snapshot": "the date or marker that pins the id, as written (ISO when a full date)",
    "version": "a version marker (Google -00N, Bedrock -vN:M)",
    "deprecated": "date the vendor announced the deprecation",
    "shutdown": "date from which calls fail (litellm's deprecation_date; Gemini dates are earliest dates)",
    "shutdown_not_before": "vendor's tentative 'not sooner than' retirement date",
    "successor": "the vendor's recommended replacement",
    "alias_of": "the snapshot a floating alias points to, where documented",
    "prefix": "true for fine-tuned model bases: code ids continue with ':<org>:<name>:<id>'",
    "sources": "per field, the key in `sources` it came from",
    "litellm_cites": "the page litellm cites for its date",
    "disagreements": "values litellm had that a vendor page overrode",
}


def licences_document(facts: dict[str, Any], refreshed: str) -> dict[str, Any]:
    sources = facts["sources"]
    licences = {}
    for key, entry in sorted(facts["licences"].items()):
        record = {"spdx": None, **entry}
        licences[key] = {name: record[name] for name in sorted(record)}
    families = []
    for entry in facts["licence_family"]:
        if entry["licence"] not in licences:
            raise SystemExit(f"licence family {entry['family']}: unknown licence {entry['licence']}")
        for pattern in entry["patterns"]:
            check_pattern(pattern, f"licence family {entry['family']}")
        families.append({name: entry[name] for name in sorted(entry)})
    names = {entry["source"] for entry in [*licences.values(), *families]}
    missing = names - set(sources)
    if missing:
        raise SystemExit(f"unknown licence sources: {sorted(missing)}")
    return {
        "refreshed": refreshed,
        "how_to_refresh": REFRESH,
        "sources": {name: dict(sorted(sources[name].items())) for name in sorted(names)},
        "licences": licences,
        "families": families,
    }


def render(document: dict[str, Any]) -> str:
    """JSON with sorted keys; each record of a top-level list on one line (diff-friendly)."""
    lines = ["{"]
    keys = sorted(document)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = document[key]
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            items = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in value]
            lines.extend(f"    {item}{',' if i < len(items) - 1 else ''}" for i, item in enumerate(items))
            lines.append(f"  ]{comma}")
        else:
            body = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2)
            lines.append(f"  {json.dumps(key)}: {body.replace(chr(10), chr(10) + '  ')}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(path: Path, document: dict[str, Any]) -> None:
    text = render(document)
    json.loads(text)  # the renderer must produce valid JSON
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--litellm-wheel", type=Path, help="a litellm wheel from `pip download`")
    source.add_argument("--litellm-json", type=Path, help="model_prices_and_context_window*.json")
    parser.add_argument("--litellm-version", help="litellm version (read from the wheel if omitted)")
    parser.add_argument("--refreshed", default=dt.date.today().isoformat(), help="YYYY-MM-DD")
    parser.add_argument("--facts", type=Path, default=FACTS)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dt.date.fromisoformat(args.refreshed)
    facts = read_facts(args.facts)
    data, version = read_litellm(args.litellm_wheel, args.litellm_json, args.litellm_version)
    models, skipped, dated = litellm_models(data)
    apply_facts(models, facts["lifecycle"], facts["sources"])
    lifecycle = lifecycle_document(models, facts, version, args.refreshed, (skipped, dated))
    licences = licences_document(facts, args.refreshed)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "lifecycle.json", lifecycle)
    write(args.out / "licences.json", licences)
    print(summary(lifecycle, licences), file=sys.stderr)
    return 0


def summary(lifecycle: dict[str, Any], licences: dict[str, Any]) -> str:
    models = lifecycle["models"]
    with_shutdown = sum("shutdown" in m for m in models)
    no_family = sum("family" not in m for m in models)
    disagreements = sum(len(m.get("disagreements", [])) for m in models)
    return (
        f"lifecycle.json: {len(models)} models, {with_shutdown} with a shutdown date, "
        f"{len(lifecycle['families'])} family patterns, {no_family} ids without a family, "
        f"{disagreements} litellm/vendor disagreements\n"
        f"licences.json: {len(licences['licences'])} licences, {len(licences['families'])} families"
    )


if __name__ == "__main__":
    sys.exit(main())
