"""Server-sent events for live pages: a generic stream over an append-only event log.

The browser's EventSource reconnects by itself and sends ``Last-Event-ID``; the stream resumes after that
id, so nothing is lost across reconnects or server restarts. Each response lives at most ``max_seconds``
(a server worker holds one of its threads per open stream), sends a comment as heartbeat so proxies keep it open,
and closes; the browser reconnects.

A stream holds one of the server's request threads for its whole life, so streams get only part of them
(StreamSlots): at most SIAGA_STREAMS_PER_SESSION per login session and SIAGA_STREAMS_PER_PROCESS per server process
(default: half of the process's threads), and the threads left stay free for the field reports. A stream beyond
either cap is answered at once with a ``busy`` event and a long retry: the page says so and reloads its data now and
then instead (issue 10: 24 streams of one session had made every status report time out).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.db import close_old_connections
from django.http import StreamingHttpResponse

from siaga import conf

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


class StreamSlots:
    """Counts the open streams of this process, in total and per owner (a session), under one lock."""

    def __init__(self, per_owner: int, total: int) -> None:
        self.per_owner, self.total = per_owner, total
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()

    def claim(self, owner: str) -> bool:
        with self._lock:
            if self._open.total() >= self.total or self._open[owner] >= self.per_owner:
                return False
            self._open[owner] += 1
            return True

    def release(self, owner: str) -> None:
        with self._lock:
            self._open[owner] -= 1
            if self._open[owner] <= 0:
                del self._open[owner]

    def open_streams(self) -> int:
        with self._lock:
            return self._open.total()


def default_slots() -> StreamSlots:
    """Caps from the settings: per session, and per process (half the server's threads when Granian's thread
    count is known from GRANIAN_BLOCKING_THREADS, as ``siaga serve`` sets it; 4 otherwise)."""
    threads = int(conf.env("GRANIAN_BLOCKING_THREADS", "0") or 0)
    total = conf.env("SIAGA_STREAMS_PER_PROCESS") or (max(1, threads // 2) if threads else 4)
    return StreamSlots(per_owner=max(1, int(conf.env("SIAGA_STREAMS_PER_SESSION", "2") or 2)),
                       total=max(1, int(total)))


SLOTS = default_slots()
#: How long a refused browser waits before it asks for a stream again (EventSource's retry, ms).
BUSY_RETRY_MS = 30000


class HeldStream:
    """``stream``, giving its slot back exactly once when it ends (max_seconds) or is closed: the server closes a
    response's iterator when the client goes, even one never started (a generator's ``finally`` would not run
    then, and the slot would be lost)."""

    def __init__(self, stream: Iterator[str], slots: StreamSlots, owner: str) -> None:
        self.stream, self.slots, self.owner = stream, slots, owner
        self._released = False
        self._lock = threading.Lock()

    def __iter__(self) -> HeldStream:
        return self

    def __next__(self) -> str:
        try:
            return next(self.stream)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        try:
            close = getattr(self.stream, "close", None)
            if close is not None:
                close()
        finally:
            self.slots.release(self.owner)


def busy_stream(message: str) -> Iterator[str]:
    """The whole answer to a stream beyond the caps: a ``busy`` event, and a retry far enough away to spare
    the server."""
    yield f"retry: {BUSY_RETRY_MS}\n\n"
    data = json.dumps({"text": message, "retry_seconds": BUSY_RETRY_MS // 1000}, ensure_ascii=False)
    yield f"event: busy\ndata: {data}\n\n"  # no id: the browser keeps its Last-Event-ID for the next try


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
