"""Small in-process caches for the election-day hot path (a server worker's threads share one per process).

Every cache states how stale it may be in docs/operations.md "Performance".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

import cachetools


class TTLCache:
    """cachetools' TTL cache behind a lock: entries expire ``ttl`` seconds after they were stored; beyond
    ``maxsize`` the least recently used go first. ``clock`` is injectable for tests."""

    def __init__(self, ttl: float, maxsize: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock  # replaceable (tests); cachetools asks it on every access
        self._data: cachetools.TTLCache = cachetools.TTLCache(maxsize=maxsize, ttl=ttl, timer=lambda: self.clock())
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The live value or None."""
        with self._lock:
            return self._data.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def loaded_instance(model, values: dict[str, Any]):
    """A model instance as a query reading only these columns (attnames) would build it: the others deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", names, [values[n] for n in names])
