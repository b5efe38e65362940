"""Server-sent events for live pages: a generic stream over an append-only event log.

The browser's EventSource reconnects by itself and sends ``Last-Event-ID``; the stream resumes after that
id, so nothing is lost across reconnects or server restarts. Each response lives at most ``max_seconds``
(a server worker holds one of its threads per open stream), sends a comment as heartbeat so proxies keep it open,
and closes; the browser reconnects.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import close_old_connections
from django.http import StreamingHttpResponse

#: (event id, event name, JSON-able data) after a cursor, oldest first, at most ``limit``.
Poll = Callable[[int, int], list[tuple[int, str, Any]]]


def format_event(event_id: int, name: str, data: Any) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {name}\ndata: {body}\n\n"


def event_stream(poll: Poll, after: int, *, interval: float = 1.0, heartbeat: float = 15.0,
                 max_seconds: float = 300.0, limit: int = 500, sleep=time.sleep,
                 clock=time.monotonic) -> Iterator[str]:
    """Yield SSE frames of new events after ``after`` until ``max_seconds`` pass."""
    yield "retry: 2000\n\n"
    cursor, started, last_sent = after, clock(), clock()
    while clock() - started < max_seconds:
        events = poll(cursor, limit)
        for event_id, name, data in events:
            yield format_event(event_id, name, data)
            cursor = event_id
        if events:
            last_sent = clock()
            if len(events) == limit:
                continue  # more waiting: do not sleep
        elif clock() - last_sent >= heartbeat:
            yield ": ping\n\n"
            last_sent = clock()
        close_old_connections()  # do not hold a database connection between polls
        sleep(interval)


def last_event_id(request) -> int:
    """The resume cursor: the Last-Event-ID header (reconnect) or ?after= (first connect), else 0."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        return 0


def sse_response(stream: Iterator[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
