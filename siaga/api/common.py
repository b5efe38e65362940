"""Small helpers shared by the routers: the request's user and writes attributed to it."""

from __future__ import annotations

from django.db import transaction


def user_of(request):
    """The authenticated user (session or token); ninja stores it in request.auth."""
    return getattr(request, "auth", None) or request.user


def write_as(user, service, **kwargs):
    """Call a service with ``actor=username`` in one transaction, and link the audit events it records
    to the user row (core.services.audit_record takes ``user=``, the older services pass only the actor)."""
    from siaga.core.models import AuditEvent

    with transaction.atomic():
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = service(actor=user.get_username(), **kwargs)
        AuditEvent.objects.filter(id__gt=before, actor=user.get_username(), user__isnull=True).update(user=user)
    return result
