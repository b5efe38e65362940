"""Routes for data uploads: stage a CSV/XLSX file, read its preview and problems, confirm or delete it.

The same services as the upload page (siaga.dataio.staging): the CLI's validation plus the user's area;
admins and planners only (others 403); a token of someone else answers 404.
"""

from __future__ import annotations

from typing import Literal

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from siaga.accounts.policy import require_uploader
from siaga.api.common import redacted, user_of
from siaga.api.errors import error_response
from siaga.core.services import write_as
from siaga.dataio import staging

router = Router(tags=["unggah data"])

Kind = Literal["tps", "units", "personnel", "indicators"]


class ProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str


class CountsOut(Schema):
    created: int
    updated: int
    unchanged: int


class ImportOut(Schema):
    token: str
    owner: str
    kind: str
    file: str
    size: int
    created: str
    checked: str
    clean: bool
    rows: int | None
    synthetic: bool
    columns: list[str]
    sample: list[list[str]]
    counts: dict[str, CountsOut] | None
    warnings: list[str]
    problem_total: int
    problems: list[ProblemOut]


class ImportResultOut(Schema):
    token: str
    kind: str
    file: str
    rows: int | None
    counts: dict[str, CountsOut]


@router.post("/imports", response={201: ImportOut}, summary="Upload a CSV/XLSX file: it is checked and staged, "
             "nothing is written until you confirm it")
def import_stage(request, kind: Form[Kind], file: File[UploadedFile]):
    user = user_of(request)
    require_uploader(user)
    try:
        upload = staging.upload_stage(user=user, kind=kind, name=file.name or "", chunks=file.chunks())
    except staging.UploadRefused as exc:
        return error_response(400, exc.message, details=[{"field": exc.field, "msg": exc.message}])
    return Status(201, upload)


@router.get("/imports/{token}", response=ImportOut, summary="One staged upload of yours: preview and problems")
@redacted("dataio.upload")
def import_detail(request, token: str):
    return staging.upload_get(user=user_of(request), token=token)


@router.post("/imports/{token}/confirm", response=ImportResultOut,
             summary="Import a staged upload (checked again first); 409 with the problems when it is not clean")
def import_confirm(request, token: str):
    user = user_of(request)
    require_uploader(user)
    try:
        return write_as(user, staging.upload_confirm, token=token)
    except staging.UploadNotClean as exc:
        upload = exc.upload
        return error_response(409, f"{upload['file']}: {upload['problem_total']} masalah; tidak ada data yang disimpan",
                              details=upload["problems"])


@router.delete("/imports/{token}", response={204: None}, summary="Cancel a staged upload (its file is deleted)")
def import_cancel(request, token: str):
    staging.upload_cancel(user=user_of(request), token=token)
    return Status(204, None)
