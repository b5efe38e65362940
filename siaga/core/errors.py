"""The one error shape of every JSON answer, API and web alike: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "validation_error", 429: "throttled",
         500: "server_error", 503: "unavailable"}
MESSAGES = {400: "Permintaan tidak valid.", 401: "Perlu masuk (sesi atau token API).",
            403: "Anda tidak berwenang.", 404: "Tidak ditemukan.", 405: "Metode tidak diizinkan.",
            409: "Bertentangan dengan data yang ada.",
            413: "Isi permintaan terlalu besar (batas DATA_UPLOAD_MAX_MEMORY_SIZE, 2,5 MB; berkas lewat /imports).",
            422: "Data yang dikirim tidak sesuai skema.",
            429: "Terlalu banyak permintaan.", 500: "Kesalahan server; sudah dicatat.",
            503: "Layanan sementara tidak tersedia (basis data); kirim ulang sebentar lagi."}


def error_body(status: int, message: str | None = None, details: list | None = None,
               code: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code or CODES.get(status, "error"), "message": message or MESSAGES.get(status, ""),
                      "details": details or []}}


def error_response(status: int, message: str | None = None, details: list | None = None,
                   code: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(status, message, details, code), status=status)
