"""limit/offset pagination: every list answers {"count", "limit", "offset", "items"}."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ninja import Field, Schema
from pydantic import create_model

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
#: The largest integer the databases store (bigint); ids and offsets above it are refused with 422, not sent on
#: to SQLite (OverflowError) or PostgreSQL ("bigint out of range").
DB_INT_MAX = 2**63 - 1


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (1..{MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=DB_INT_MAX, description="Items to skip.")


_pages: dict[Any, type[Schema]] = {}


def page_of(item: Any) -> type[Schema]:
    """The response schema of a page of ``item`` (one class per item type, for the OpenAPI names)."""
    if item not in _pages:
        name = getattr(item, "__name__", "Item").removesuffix("Out") + "Page"
        _pages[item] = create_model(name, __base__=Schema, count=(int, ...), limit=(int, ...), offset=(int, ...),
                                    items=(list[item], ...))
    return _pages[item]


def page(qs, params: PageParams, serialize: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """Slice a queryset (or list) and count it."""
    count = qs.count() if hasattr(qs, "count") and not isinstance(qs, list) else len(qs)
    rows: Iterable = qs[params.offset:params.offset + params.limit]
    items = [serialize(r) for r in rows] if serialize else list(rows)
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}
