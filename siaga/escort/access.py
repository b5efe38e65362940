"""Who sees which escort legs and hand-overs: the scope rules and redaction policies of this app (docs/access.md).

A leg lies in its district; partners see where the boxes are and whether they are late, never who escorts them,
who checked them in, or the notes typed about them.
"""

from __future__ import annotations

from siaga.core.access import by_districts, register_scope
from siaga.core.redaction import declare

register_scope("escort.leg", by_districts("district_id"))
register_scope("escort.checkin", by_districts("leg__district_id"))

declare("escort.checkin", actors=("by", "actor"), free_text=("note",))
declare("escort.leg", personal=("escorts",), free_text=("note", "missing_note"),
        nested={"checkins": "escort.checkin"})
