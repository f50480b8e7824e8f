"""A file's bytes as text, the way Python would read them, and the facts of a file that
could not be read or parsed (a diagnostic, never an exception)."""

from __future__ import annotations

import codecs
import io
import tokenize

from lockscan.model import Diagnostic, FileFacts, SourceFile


class DecodeError(ValueError):
    pass


def decode(data: bytes) -> str:
    """Source bytes to text the way Python would: BOM, coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise DecodeError(str(exc)) from exc
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise DecodeError(f"cannot decode as {encoding}: {exc}") from exc
    if encoding not in ("utf-8", "utf-8-sig"):
        # Codecs such as unicode_escape can yield lone surrogates, which no output
        # format can encode; strict UTF-8 never does.
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DecodeError(f"decoding as {encoding} gives invalid text: {exc}") from exc
    return text.removeprefix("\ufeff")


def count_lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def failed_facts(source: SourceFile, code: str, message: str, lines: int) -> FileFacts:
    """The facts of a file that could not be analyzed: one diagnostic, no findings."""
    return FileFacts(
        path=source.path,
        kind=source.kind,
        module=source.module,
        lines=lines,
        diagnostics=(Diagnostic(source.path, code, message),),
        analyzed=False,
    )
