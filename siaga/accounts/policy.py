"""The role policy: what each role may read, change and see of people. One home for every role rule.

Reads: every role reads its area (``siaga.accounts.scoping``); the audit trail is for admins and planners.
Writes: ``WRITERS`` says, per model, which roles may change its rows at all (everyone else gets 403 before any
lookup); the area decides which rows (404 outside it). Personal data: partners (KPU, Bawaslu, Pemda) see no
person's name, NRP, phone or home village, no user names and no free text, anywhere: ``redact`` applies the
policies that each app declared for its records (``siaga.core.redaction``). docs/access.md says the same in words.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.scoping import scope
from siaga.accounts.selectors import user_role
from siaga.core.redaction import policy, redact_value

READ_ROLES = frozenset(Role.values)
#: Who may change what (by model label); everyone else gets 403 before any lookup.
WRITERS: dict[str, frozenset[str]] = {
    "regions.tps": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    "forces.personnel": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    # pins and moves in the plan workspace; a commander only inside its districts (deployments.access)
    "deployments.pin": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    # re-plan and publish
    "deployments.plan": frozenset({Role.ADMIN, Role.PLANNER}),
    # ballot escort: hand-over check-ins from the field; marking a leg missing from command (posko, Polsek)
    "escort.checkin": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.FIELD_OFFICER}),
    "escort.leg": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    # election day: status reports and new incidents from the field (a field officer only for its post's TPS,
    # operations.access); triage, transitions and dispatch from command (posko, Polsek)
    "operations.statusreport": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.FIELD_OFFICER}),
    "operations.incident": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER, Role.FIELD_OFFICER}),
    "operations.incidentevent": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
    "operations.dispatch": frozenset({Role.ADMIN, Role.PLANNER, Role.COMMANDER}),
}
DEFAULT_WRITERS = frozenset({Role.ADMIN, Role.PLANNER})
AUDIT_READERS = frozenset({Role.ADMIN, Role.PLANNER})
UPLOADERS = frozenset({Role.ADMIN, Role.PLANNER})
#: Roles that never see personal data, actors or free text (docs/access.md "Partners").
REDACTED_ROLES = frozenset({Role.PARTNER})


# --- reading --------------------------------------------------------------------------------------------

def require_reader(user, roles: frozenset[str] = READ_ROLES) -> str:
    """The user's role if it is one of ``roles``, else PermissionDenied (403)."""
    role = user_role(user)
    if role not in roles:
        raise PermissionDenied(_("peran Anda tidak boleh membuka data ini"))
    return role


def sees_personal_data(user) -> bool:
    """False for partners: they get records through ``redact`` only."""
    return user_role(user) not in REDACTED_ROLES


def redact(user, kind: str, value: Any) -> Any:
    """``value`` (one record or a list of records of ``kind``) as ``user`` may see it: unchanged for roles that see
    personal data; for partners without the fields the kind's policy hides (a withheld kind: None or [])."""
    policy(kind)  # an undeclared kind is refused for everyone, so a new record cannot slip past the policy
    if sees_personal_data(user):
        return value
    return redact_value(kind, value)


def require_personal_access(user, kind: str) -> None:
    """PermissionDenied (403) when ``kind`` is withheld from the user's role (partners reading people)."""
    if policy(kind).withheld and not sees_personal_data(user):
        raise PermissionDenied(_("data perorangan tidak tersedia untuk mitra; lihat jumlah per satuan"))


# --- writing --------------------------------------------------------------------------------------------

def require_writer(user, model) -> str:
    """The user's role if it may change rows of ``model`` at all, else PermissionDenied (403)."""
    role = user_role(user)
    if role not in WRITERS.get(model._meta.label_lower, DEFAULT_WRITERS):
        raise PermissionDenied(_("peran Anda hanya boleh membaca"))
    return role


def may_write(user, model) -> bool:
    """True when the user's role may change rows of ``model`` at all (to show or hide a form)."""
    return user_role(user) in WRITERS.get(model._meta.label_lower, DEFAULT_WRITERS)


def can_edit(user, obj) -> bool:
    """True when the user's role may change this kind of row and the row lies in the user's area."""
    if not may_write(user, type(obj)):
        return False
    return scope(user, type(obj).objects.filter(pk=obj.pk)).exists()


def require_edit(user, obj) -> None:
    """PermissionDenied (403) for a read-only role; Http404 for a row outside the user's area."""
    require_writer(user, type(obj))
    if not can_edit(user, obj):
        raise Http404(f"{obj._meta.verbose_name} tidak ditemukan")


def require_uploader(user) -> str:
    """The user's role if it may upload data files (admin, planner), else PermissionDenied (403)."""
    role = user_role(user)
    if role not in UPLOADERS:
        raise PermissionDenied(_("peran Anda tidak boleh mengunggah data"))
    return role
