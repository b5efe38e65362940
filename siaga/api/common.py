"""Small helpers shared by the routers."""

from __future__ import annotations


def user_of(request):
    """The authenticated user (session or token); ninja stores it in request.auth."""
    return getattr(request, "auth", None) or request.user
