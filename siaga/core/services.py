"""Writes of the core app: recording audit events."""

from __future__ import annotations

import getpass
from typing import Any

from siaga.core.models import AuditEvent


def cli_actor() -> str:
    """The actor name for changes made from the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user database in some containers
        return "cli:unknown"


def write_as(user, service, **kwargs):
    """Call a write service on behalf of a logged-in user: the audit trail names the user row."""
    return service(actor=user.get_username(), user=user, **kwargs)


def audit_record(*, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None, user=None) -> AuditEvent:
    """Store one audit event. Call inside the service's transaction so it commits with the change."""
    return AuditEvent.objects.create(actor=actor, action=action, target=target, details=details or {}, user=user)
