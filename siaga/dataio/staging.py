"""Staged uploads: a data file waits, checked, until the user who uploaded it confirms or cancels it.

Each upload is a folder ``$SIAGA_DATA_DIR/uploads/<token>/`` holding the file (under a safe version of its
name) and ``meta.json`` (owner, kind, stored name, size, times and the preview of siaga.dataio.checks). Files, not
a model: the bytes must live on disk anyway, a folder is removed in one step, and nothing in the database
changes before the confirm. Folders older than a day are removed whenever a new file is staged.

Confirm claims the folder by renaming it (so a double click imports once), checks the file again against
what is stored now, imports it in one transaction as ``siaga import`` does and removes the folder.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.http import Http404

from siaga import conf
from siaga.accounts.policy import require_uploader
from siaga.dataio.checks import check_file, import_checked
from siaga.formats import TABLES

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
STALE_AFTER = timedelta(days=1)
SUFFIXES = (".csv", ".xlsx", ".xlsm")
META = "meta.json"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_UNSAFE = re.compile(r"[^\w.() -]+")
_NAME_MAX = 100


class UploadRefused(Exception):
    """The upload itself is unusable (kind, type, size); nothing was staged. ``field`` names the form field."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.message = message
        self.field = field


class UploadNotClean(Exception):
    """Confirm refused: the file (checked again now) has problems. ``upload`` is the refreshed preview."""

    def __init__(self, upload: dict[str, Any]):
        super().__init__(f"{upload['file']}: {upload['problem_total']} masalah; tidak ada data yang disimpan")
        self.upload = upload


def uploads_dir() -> Path:
    return conf.data_dir() / "uploads"


def safe_name(name: str, kind: str) -> str:
    """The uploaded file's own name without folders or odd characters (problems name the file by it)."""
    base = re.split(r"[/\\]", name or "")[-1]
    stem, dot, suffix = base.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else base).strip(" ._")[: _NAME_MAX - 6]
    suffix = f".{suffix.lower()}" if dot else ""
    return f"{stem or kind}{suffix}"


def upload_stage(*, user, kind: str, name: str, chunks: Iterable[bytes]) -> dict[str, Any]:
    """Save an uploaded file for ``user`` and check it; returns the upload (token, preview, problems).

    UploadRefused for an unknown kind, a file that is not .csv/.xlsx, an empty file or one over
    MAX_UPLOAD_BYTES (nothing is kept then). PermissionDenied for roles that may not upload.
    """
    require_uploader(user)
    if kind not in TABLES:
        raise UploadRefused(f"jenis data '{kind}' tidak dikenal; pilih salah satu: {', '.join(TABLES)}", "kind")
    filename = safe_name(name, kind)
    if not filename.lower().endswith(SUFFIXES):
        raise UploadRefused(f"{filename}: jenis berkas tidak didukung (pakai .csv atau .xlsx)")
    remove_stale()
    token = secrets.token_urlsafe(18)
    folder = uploads_dir() / token
    folder.mkdir(parents=True)
    path = folder / filename
    try:
        size = _save(path, chunks)
        now = _now()
        meta = {"token": token, "owner": user.get_username(), "owner_id": user.pk, "kind": kind,
                "stored_as": filename, "original": (name or "")[:200], "size": size, "created": now, "checked": now}
        meta.update(check_file(user=user, kind=kind, path=path).as_dict())
        _write_meta(folder, meta)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # nothing half-staged
        raise
    return meta


def _save(path: Path, chunks: Iterable[bytes]) -> int:
    size = 0
    with open(path, "wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise UploadRefused(f"berkas terlalu besar: lebih dari {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
                                    "bagi menjadi beberapa berkas")
            out.write(chunk)
    if size == 0:
        raise UploadRefused("berkas kosong")
    return size


def upload_get(*, user, token: str) -> dict[str, Any]:
    """The user's own staged upload; Http404 for a token that is unknown, expired or someone else's."""
    require_uploader(user)
    return _read_meta(_folder(user, token))


def upload_list(*, user) -> list[dict[str, Any]]:
    """The user's staged uploads, newest first (for the upload page)."""
    require_uploader(user)
    found = []
    root = uploads_dir()
    for folder in root.iterdir() if root.is_dir() else ():
        if _TOKEN.match(folder.name):
            try:
                meta = _read_meta(folder)
            except (OSError, ValueError):
                continue
            if meta.get("owner_id") == user.pk:
                found.append(meta)
    return sorted(found, key=lambda m: m["created"], reverse=True)


def upload_cancel(*, user, token: str) -> None:
    """Remove the user's staged upload (file and preview)."""
    require_uploader(user)
    shutil.rmtree(_folder(user, token))


def upload_confirm(*, actor: str, user, token: str) -> dict[str, Any]:
    """Import the user's staged upload after checking it again; remove it when stored.

    UploadNotClean (with the refreshed preview, kept staged) when the file has problems now; Http404 when the
    token is not the user's (or another confirm of it is running).
    """
    require_uploader(user)
    folder = _folder(user, token)
    busy = folder.with_name(f"{token}.busy-{secrets.token_hex(4)}")
    try:
        folder.rename(busy)
    except FileNotFoundError:
        raise Http404("unggahan tidak ditemukan") from None
    try:
        meta = _read_meta(busy)
        check, counts = import_checked(actor=actor, user=user, kind=meta["kind"], path=busy / meta["stored_as"],
                                       details={"via": "upload", "size": meta["size"]})
        if counts is None:
            meta.update(check.as_dict(), checked=_now())
            _write_meta(busy, meta)
            raise UploadNotClean(meta)
    except BaseException:
        busy.rename(folder)
        raise
    shutil.rmtree(busy, ignore_errors=True)
    return {"token": token, "kind": meta["kind"], "file": check.file, "rows": check.rows, "counts": counts}


def remove_stale(now: float | None = None) -> int:
    """Remove staged uploads (and leftovers of interrupted confirms) older than STALE_AFTER; return how many."""
    root = uploads_dir()
    if not root.is_dir():
        return 0
    limit = (now or time.time()) - STALE_AFTER.total_seconds()
    removed = 0
    for folder in root.iterdir():
        try:
            stamp = (folder / META).stat().st_mtime if (folder / META).exists() else folder.stat().st_mtime
        except OSError:
            continue
        if stamp < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _folder(user, token: str) -> Path:
    """The folder of ``token`` if it belongs to ``user``; else Http404 (as for a token that never existed)."""
    folder = uploads_dir() / token
    if _TOKEN.match(token or ""):
        try:
            if _read_meta(folder).get("owner_id") == user.pk:
                return folder
        except (OSError, ValueError):
            pass
    raise Http404("unggahan tidak ditemukan")


def _read_meta(folder: Path) -> dict[str, Any]:
    return json.loads((folder / META).read_text(encoding="utf-8"))


def _write_meta(folder: Path, meta: dict[str, Any]) -> None:
    tmp = folder / f".{META}.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / META)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
