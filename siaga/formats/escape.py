"""Text cells made safe for spreadsheets: the CSV escape against formula injection (OWASP, "CSV Injection").

A spreadsheet opening a CSV runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return before them) as a formula: ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``
in a unit's name would run on the commander's laptop. Every CSV Siaga writes puts a single quote in front
of such a text cell; the reader (siaga.formats.sources) takes it off again, so ``export -> import -> export``
gives the same bytes. A text that already begins with quotes followed by a dangerous character gets one
quote more, so a name that really begins with ``'=`` reads back as written.

Only text columns are escaped: a number column (``lat``, ``lon``, ``voters``, ``value`` ...) keeps its
minus sign. Headers are fixed words of the schema and never need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: First characters a spreadsheet may take as the start of a formula.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_DANGEROUS = frozenset(DANGEROUS)
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    rest = text.lstrip(QUOTE)
    return bool(rest) and rest[0] in _DANGEROUS


def escape_text(text: str) -> str:
    """``text`` with a leading ``'`` when it starts (after any quotes) with = + - @ tab or CR."""
    return QUOTE + text if text and (text[0] in _DANGEROUS or (text[0] == QUOTE and _needs_quote(text))) else text


def unescape_text(text: str) -> str:
    """The inverse of :func:`escape_text`: one leading ``'`` off when dangerous characters follow the quotes."""
    return text[1:] if text[:1] == QUOTE and _needs_quote(text) else text


def escape_row(row: Sequence[str], text_columns: Sequence[bool]) -> list[str]:
    """One CSV row with its text cells escaped (``text_columns[i]`` is False for number columns)."""
    return [escape_text(cell) if is_text else cell for cell, is_text in zip(row, text_columns, strict=True)]


def escape_rows(rows: Iterable[Sequence[str]], text_columns: Sequence[bool]) -> Iterable[list[str]]:
    for row in rows:
        yield escape_row(row, text_columns)
