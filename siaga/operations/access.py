"""Who sees and reports what on election day: the scope rules, report gates and redaction policies of this app.

Every election-day record lies in the district it happened in. A field officer reports only for the TPS of the
post where it stands in the operation's current plan. Partners see states, counts and places, never who
reported, typed notes or incident text (docs/access.md).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.policy import WRITERS, require_writer
from siaga.accounts.scoping import district_in_area
from siaga.core.access import by_districts, register_scope
from siaga.core.redaction import declare

register_scope("operations.statusreport", by_districts("district_id"))
register_scope("operations.incident", by_districts("district_id"))
register_scope("operations.incidentevent", by_districts("incident__district_id"))
register_scope("operations.dispatch", by_districts("incident__district_id"))
register_scope("operations.opsevent", by_districts("district_id"))

declare("operations.statusreport", actors=("reported_by", "actor"), free_text=("note",))
declare("operations.timeline", nested={"items": "operations.statusreport", "current": "operations.statusreport"})
declare("operations.incidentevent", actors=("by", "actor"), free_text=("note",))
declare("operations.dispatch", actors=("accepted_by", "actor"), free_text=("note",))
declare("operations.incident", actors=("reported_by", "actor"), free_text=("text",),
        personal=("photo_url", "photo"), nested={"history": "operations.incidentevent",
                                                 "dispatches": "operations.dispatch"})
declare("operations.squad", personal=("personnel", "people"))
declare("operations.proposal", nested={"active": "operations.dispatch"})
#: The event log carries no personal data by construction (siaga.operations.payloads); declared to say so.
declare("operations.events")


def field_officer_tps(user, plan_key: tuple | None) -> frozenset[str]:
    """TPS ids a field officer may report for: the TPS of the posts where its person (Profile.personnel) stands in
    the operation's current plan. Empty without a person or a plan."""
    from siaga.accounts.selectors import user_personnel_id
    from siaga.operations.context import plan_facts

    personnel_id = user_personnel_id(user)
    if personnel_id is None or plan_key is None:
        return frozenset()
    return plan_facts(plan_key).person_tps.get(personnel_id, frozenset())


def require_tps_report(user, tps, plan_key: tuple | None) -> str:
    """May the user report the status of (or an incident at) this TPS? 403 for roles that may not report; a field
    officer: its post's TPS only (403 for another TPS of its area, 404 outside it); other roles: TPS of their area
    (404 outside). ``tps`` carries ``village.district_id``; a field officer's check needs no query once the plan is
    parsed. Returns the role."""
    from siaga.operations.models import StatusReport

    role = require_writer(user, StatusReport)
    if role == Role.FIELD_OFFICER:
        if tps.code in field_officer_tps(user, plan_key):
            return role
        if district_in_area(user, tps.village.district_id):
            raise PermissionDenied(_("petugas lapangan hanya melapor untuk TPS di pos tempat ia ditugaskan"))
        raise Http404(_("TPS tidak ditemukan"))
    if not district_in_area(user, tps.village.district_id):
        raise Http404(_("TPS tidak ditemukan"))
    return role


def require_place_report(user, district_id: int) -> str:
    """An incident reported without a TPS (a village or district): roles that manage incidents, inside their area
    (404 outside); a field officer must name a TPS of its post (403)."""
    from siaga.operations.models import StatusReport

    role = require_writer(user, StatusReport)
    if role not in WRITERS["operations.incidentevent"]:
        raise PermissionDenied(_("petugas lapangan melapor insiden dengan TPS posnya (isi 'tps')"))
    if not district_in_area(user, district_id):
        raise Http404(_("wilayah tidak ditemukan"))
    return role

#: The board's snapshot (/posko/data.json): incident text is free text; reserves list people.
declare("operations.boardincident", free_text=("text",))
declare("operations.board", nested={"incidents": "operations.boardincident", "reserves": "operations.squad"})
