"""Who sees which indicator values: the scope rule and redaction policy of this app (docs/access.md)."""

from __future__ import annotations

from siaga.core.access import by_districts, register_scope
from siaga.core.redaction import declare

register_scope("risk.indicatorvalue", by_districts("tps__village__district_id"))

#: An indicator value: its note is typed by users.
declare("risk.indicatorvalue", free_text=("note", "source_note"), actors=("updated_by", "created_by"))
