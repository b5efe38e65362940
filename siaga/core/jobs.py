"""Background jobs (``core.Job``): Celery workers over Redis when ``SIAGA_BROKER_URL`` is set, else a daemon
thread of the web process.

``celery -A siaga.jobs worker`` starts a worker (``siaga.jobs``, the entry point, holds this module's Celery app; it
reads the same settings as the web process). Apps declare their kinds of job with :func:`register_kind` (e.g.
deployments' ``replan`` in its AppConfig.ready), so this module names no app. A job's row is
its whole record: state (queued, running, done, failed), progress 0..1, stage, a readable error, and the result.
Writes are single autocommit statements (progress at most every ``PROGRESS_INTERVAL_S``), so a job in a thread
never holds an SQLite write lock for long; the work itself keeps its own short transactions.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")  # lets Celery's Django fix-up set Django up

logger = logging.getLogger("siaga.jobs")

#: Job kind -> dotted path of its runner ``run(*, job, progress) -> dict`` (the dict is stored as the result);
#: filled by :func:`register_kind`.
KINDS: dict[str, str] = {}
#: Least seconds between two progress writes of one job.
PROGRESS_INTERVAL_S = 0.5
#: A queued or running job without a sign of life for this long is taken as dead (worker or web process gone).
STALE_AFTER = timedelta(minutes=30)
MESSAGE_MAX = 2000


def _celery_defaults() -> dict[str, Any]:
    """Read lazily (on first use of the app's configuration), so importing this module touches nothing."""
    from django.conf import settings

    return {"broker_url": settings.SIAGA_BROKER_URL or None, "task_ignore_result": True,
            "task_default_queue": "siaga", "worker_prefetch_multiplier": 1,
            "broker_connection_retry_on_startup": True, "worker_hijack_root_logger": False}


app = Celery("siaga")
app.add_defaults(_celery_defaults)


def register_kind(kind: str, runner: str) -> None:
    """Declare a kind of job and the dotted path of its runner (imported when a job of the kind runs)."""
    if KINDS.get(kind, runner) != runner:
        raise ValueError(f"job kind {kind} declared twice")
    KINDS[kind] = runner


class JobBusy(Exception):
    """The same kind of job already runs on the same subject (e.g. a second re-plan of one operation)."""


@app.task(name="siaga.jobs.run", ignore_result=True)
def run_task(job_id: int) -> None:
    """The Celery task: run one stored job."""
    job_run(job_id)


# --- creating and sending ---------------------------------------------------------------------------

def job_create(*, kind: str, subject: str, params: dict[str, Any], actor: str, user=None):
    """Store a queued job. Raises JobBusy when one of the same kind and subject is still queued or running
    (a stale one, silent for STALE_AFTER, is first marked failed). Call inside the caller's transaction."""
    from django.db import IntegrityError, transaction

    from siaga.core.models import Job

    if kind not in KINDS:
        raise ValueError(f"jenis tugas '{kind}' tidak dikenal; yang ada: {', '.join(sorted(KINDS))}")
    job_reap_stale(kind=kind, subject=subject)
    active = Job.objects.filter(kind=kind, subject=subject, state__in=Job.ACTIVE).first()
    if active is not None:
        raise JobBusy(_busy_message(active))
    try:
        with transaction.atomic():
            return Job.objects.create(kind=kind, subject=subject, params=params, created_by=actor, user=user)
    except IntegrityError:  # another request created one between the check and the insert
        active = Job.objects.filter(kind=kind, subject=subject, state__in=Job.ACTIVE).first()
        raise JobBusy(_busy_message(active)) from None


def _busy_message(job) -> str:
    if job is None:
        return "tugas yang sama sedang berjalan"
    return (f"tugas #{job.pk} ({job.kind}) untuk {job.subject} masih {job.get_state_display().lower()}, "
            f"dimulai oleh {job.created_by}; tunggu sampai selesai")


def job_reap_stale(*, kind: str, subject: str) -> int:
    """Mark queued/running jobs of this kind and subject that gave no sign of life for STALE_AFTER as failed."""
    from django.utils import timezone

    from siaga.core.models import Job

    now = timezone.now()
    minutes = int(STALE_AFTER.total_seconds() // 60)
    return Job.objects.filter(kind=kind, subject=subject, state__in=Job.ACTIVE,
                              updated_at__lt=now - STALE_AFTER).update(
        state=Job.State.FAILED, finished_at=now, updated_at=now,
        message=f"Tidak ada kabar selama {minutes} menit (pekerja atau proses web berhenti); dianggap gagal.")


_threads: dict[int, threading.Thread] = {}


def job_submit(job) -> None:
    """Run the job in the background once the current transaction commits (at once outside one): as a Celery task
    when SIAGA_BROKER_URL is set, else in a daemon thread. A broker that does not answer fails the job."""
    from django.db import transaction

    transaction.on_commit(lambda: _dispatch(job.pk))


def _dispatch(job_id: int) -> None:
    from django.conf import settings

    if settings.SIAGA_BROKER_URL:
        try:
            run_task.apply_async((job_id,), retry=True,
                                 retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5})
        except Exception as exc:  # noqa: BLE001 - any broker failure becomes a failed job, never a 500
            logger.warning("job %s: broker unreachable: %s", job_id, exc)
            _finish(job_id, state="failed", message=f"Antrean tugas (SIAGA_BROKER_URL) tidak terjangkau: {exc}")
        return
    thread = threading.Thread(target=_thread_main, args=(job_id,), name=f"siaga-job-{job_id}", daemon=True)
    _threads[job_id] = thread
    thread.start()


def _thread_main(job_id: int) -> None:
    from django.db import connections

    try:
        job_run(job_id)
    finally:
        connections.close_all()  # this thread's connections only
        _threads.pop(job_id, None)


def job_wait(job_id: int):
    """Wait for a job started in a thread of this process (if any) and return its row (for tests and scripts)."""
    from siaga.core.models import Job

    thread = _threads.get(job_id)
    if thread is not None:
        thread.join()
    return Job.objects.get(pk=job_id)


# --- running -----------------------------------------------------------------------------------------

class ProgressRecorder:
    """The ``progress(stage, fraction)`` callback of a running job: stores at most one write per ``interval``
    seconds (always the first), never goes backwards, and never lets a failed write stop the job."""

    def __init__(self, job_id: int, interval: float = PROGRESS_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.interval = interval
        self.clock = clock
        self.best = 0.0
        self.last_write: float | None = None
        self.writes = 0

    def __call__(self, stage: str, fraction: float) -> None:
        from django.db import DatabaseError
        from django.utils import timezone

        from siaga.core.models import Job

        self.best = max(self.best, min(max(float(fraction), 0.0), 1.0))
        now = self.clock()
        if self.last_write is not None and now - self.last_write < self.interval:
            return
        self.last_write = now
        try:
            Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                progress=self.best, stage=str(stage)[:80], updated_at=timezone.now())
            self.writes += 1
        except DatabaseError as exc:  # a busy database must not stop the work; the next write catches up
            logger.warning("job %s: progress not stored: %s", self.job_id, exc)


def failure_message(exc: BaseException) -> str:
    """A message a planner can act on: the service's or planner's own words, else the error's type and text."""
    from django.core.exceptions import ObjectDoesNotExist, ValidationError
    from django.db import OperationalError

    if isinstance(exc, OperationalError) and "locked" in str(exc):
        text = "Basis data sedang sibuk (SQLite terkunci oleh penulisan lain); jalankan lagi sebentar lagi."
    elif isinstance(exc, ValidationError):
        text = "; ".join(exc.messages)
    elif isinstance(exc, ObjectDoesNotExist):
        text = f"Data yang dibutuhkan tugas ini sudah tidak ada ({exc})"
    elif isinstance(exc, ValueError):  # includes the planner's PlanInputError and plan.toml errors
        text = str(exc)
    else:
        text = f"Kesalahan tak terduga ({type(exc).__name__}): {exc}"
    return (text or type(exc).__name__)[:MESSAGE_MAX]


def job_run(job_id: int) -> None:
    """Run one queued job to its end: claim it (queued -> running; anything else is skipped), call its runner
    with a progress recorder, then store done + result, or failed + a readable message."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from siaga.core.models import Job

    now = timezone.now()
    if not Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now, updated_at=now, stage="mulai"):
        logger.info("job %s is not queued (gone, taken or reaped); skipped", job_id)
        return
    job = Job.objects.get(pk=job_id)
    try:
        runner = import_string(KINDS[job.kind])
        result = runner(job=job, progress=ProgressRecorder(job_id))
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job, never raised to a request
        if not isinstance(exc, ValueError | ValidationError):
            logger.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, state=Job.State.FAILED, message=failure_message(exc))
        return
    _finish(job_id, state=Job.State.DONE, result=result or {})


def _finish(job_id: int, *, state: str, message: str = "", result: dict | None = None) -> None:
    from django.utils import timezone

    from siaga.core.models import Job

    now = timezone.now()
    fields: dict[str, Any] = {"state": state, "message": message, "finished_at": now, "updated_at": now}
    if state == Job.State.DONE:
        fields.update(progress=1.0, stage="selesai", result=result or {})
    Job.objects.filter(pk=job_id).update(**fields)
