"""The registry of scope rules: which rows of a model lie in a user's area.

Each app declares the rule of each of its models next to those models (``siaga/<app>/access.py``, imported by
the app's ``AppConfig.ready``); ``siaga.accounts.scoping`` computes a user's :class:`Area` and applies the rule.
So no app has to import another app to learn its rules, and a model without a rule cannot be read through
``scope`` at all (``scope_for`` refuses it). docs/access.md describes the rules in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Area:
    """What one user may see. ``everything`` (admin) overrides the sets; ``role`` None sees nothing.

    ``district_*``: the districts (kecamatan) of the user's jurisdiction. ``visible_unit_*``: units whose area
    meets it; ``inside_unit_*``: units whose area lies within it (only their people are the user's).
    """

    role: str | None
    everything: bool
    district_ids: frozenset[int]
    district_codes: frozenset[str]
    regency_ids: frozenset[int]
    visible_unit_ids: frozenset[int]
    inside_unit_ids: frozenset[int]
    visible_unit_codes: frozenset[str]
    inside_unit_codes: frozenset[str]


ScopeRule = Callable[[Area, QuerySet], QuerySet]
#: What an area holds of the audit trail, as a condition on ``core.AuditEvent`` (one per subject: TPS, people, ...).
AuditTargets = Callable[[Area], Q]

_SCOPES: dict[str, ScopeRule] = {}
_AUDIT_TARGETS: list[AuditTargets] = []


def register_scope(label: str, rule: ScopeRule) -> None:
    """Declare the scope rule of a model (``"app_label.modelname"``, lower case). Declared once per model."""
    label = label.lower()
    if label in _SCOPES and _SCOPES[label] is not rule:
        raise ValueError(f"scope rule for {label} declared twice")
    _SCOPES[label] = rule


def scope_rule(label: str) -> Callable[[ScopeRule], ScopeRule]:
    """Decorator form of :func:`register_scope`."""

    def decorator(rule: ScopeRule) -> ScopeRule:
        register_scope(label, rule)
        return rule

    return decorator


def by_districts(field: str) -> ScopeRule:
    """The common rule: rows whose ``field`` (a district id path, e.g. ``village__district_id``) is in the area."""

    def rule(area: Area, qs: QuerySet) -> QuerySet:
        return qs.filter(**{f"{field}__in": area.district_ids})

    return rule


def scope_for(area: Area, qs: QuerySet) -> QuerySet:
    """Only the rows of ``qs`` the area holds. LookupError for a model without a declared rule."""
    label = qs.model._meta.label_lower
    rule = _SCOPES.get(label)
    if rule is None:
        raise LookupError(f"no scoping rule for {qs.model._meta.label}; declare one in its app's access.py "
                          "(siaga.core.access.register_scope)")
    if area.everything:
        return qs
    if area.role is None:
        return qs.none()
    return rule(area, qs)


def scoped_labels() -> frozenset[str]:
    """Every model label with a rule (tests hold every model to having one)."""
    return frozenset(_SCOPES)


def register_audit_targets(targets: AuditTargets) -> AuditTargets:
    """Declare which audit events are about an area's records (e.g. ``target`` = ``tps:<id>`` of its TPS)."""
    if targets not in _AUDIT_TARGETS:
        _AUDIT_TARGETS.append(targets)
    return targets


def audit_condition(area: Area) -> Q:
    """The audit events about the area's records: the union of every app's declared targets."""
    condition = Q(pk__in=[])
    for targets in _AUDIT_TARGETS:
        condition |= targets(area)
    return condition
