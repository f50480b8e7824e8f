"""Recognise and redact vendor API keys so no output format ever prints one."""

from __future__ import annotations

import re

# Prefix, then the secret body. Bodies are long enough that prose never matches.
SECRET_PATTERN = re.compile(
    r"(?P<prefix>sk-ant-(?:api|admin)\d{2}-|sk-ant-|sk-proj-|sk-svcacct-|sk-or-v1-|sk-|"
    r"AIza|gsk_|xai-|r8_|hf_|fw_)"
    r"(?P<body>[A-Za-z0-9_\-]{20,})"
)
REDACTED = "[REDACTED]"


def redact(text: str) -> str:
    """Keep the vendor prefix (useful to the reader), drop the secret itself."""
    if not text or not _may_hold_secret(text):
        return text
    return SECRET_PATTERN.sub(lambda m: m.group("prefix") + REDACTED, text)


def _may_hold_secret(text: str) -> bool:
    return any(p in text for p in ("sk-", "AIza", "gsk_", "xai-", "r8_", "hf_", "fw_"))
