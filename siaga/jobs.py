"""The Celery entry point: ``celery -A siaga.jobs worker`` runs Siaga's background jobs (siaga.core.jobs).

Nothing in the apps imports this module; it only exposes the Celery app and its task to the worker command.
"""

from __future__ import annotations

from siaga.core.jobs import app, run_task

__all__ = ["app", "run_task"]
