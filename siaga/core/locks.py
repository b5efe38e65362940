"""One writer at a time for work that must not interleave: a new plan version of an operation, an import.

Two ``siaga plan --operation 1`` at once both read the latest version and both wrote the next one, and one
ended in a UniqueViolation traceback with its plan lost; two imports of the same new TPS both inserted them.
``serialize(name, key)`` called first inside the writing transaction makes the second wait for the first to
commit and then carry on with what the first stored (a new version number, rows to update instead of insert).

PostgreSQL: a transaction-level advisory lock (released at commit or rollback, never left behind by a killed
process). SQLite: nothing to do; Siaga opens its SQLite transactions IMMEDIATE (siaga.settings), so writers already
queue (up to the 30 s busy timeout).
"""

from __future__ import annotations

import zlib

from django.db import connection


def lock_key(name: str) -> int:
    """A stable 31-bit number for a lock's name (advisory locks are keyed by integers)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def serialize(name: str, key: int = 0) -> None:
    """Wait until no other transaction holds the lock ``(name, key)``, and hold it to the end of this one."""
    if not connection.in_atomic_block:
        raise RuntimeError("serialize() holds its lock to the end of a transaction: call it inside atomic()")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [lock_key(name), int(key)])
