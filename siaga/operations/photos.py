"""Incident photos without Pillow: the type is read from the file's first bytes (JPEG, PNG, WebP) and must match
what the sender declared; the size is capped. The phone page shrinks photos before queueing them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid

from django.core.exceptions import ValidationError

#: Decoded bytes. The JSON body carries the photo as base64 (4/3 larger) and Django refuses bodies over 2.5 MB
#: (DATA_UPLOAD_MAX_MEMORY_SIZE), so 1.5 MB keeps a photo request well inside that.
PHOTO_MAX_BYTES = 1_500_000
TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
DATA_URL = re.compile(r"^data:(?P<type>[a-z]+/[a-z0-9.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]*)$", re.S)


def sniff(data: bytes) -> str | None:
    """The image type by magic bytes, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_check(data: bytes, declared: str) -> tuple[str, str]:
    """(content type, sha256 hex) of an acceptable photo; ValidationError naming the problem otherwise."""
    if not data:
        raise ValidationError("photo: berkas kosong")
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(f"photo: {len(data):,} byte, paling besar {PHOTO_MAX_BYTES:,} byte (perkecil fotonya)")
    found = sniff(data)
    if found is None:
        raise ValidationError("photo: bukan JPEG, PNG atau WebP")
    if declared and declared != found:
        raise ValidationError(f"photo: disebut {declared} tetapi isinya {found}")
    return found, hashlib.sha256(data).hexdigest()


def photo_from_data_url(value: str) -> tuple[bytes, str]:
    """Decode ``data:image/jpeg;base64,...`` into (bytes, declared type)."""
    match = DATA_URL.match(value or "")
    if match is None:
        raise ValidationError("photo: kirim sebagai data URL 'data:image/jpeg;base64,...'")
    if match["type"] not in TYPES:
        raise ValidationError(f"photo: jenis {match['type']} tidak diterima; pilih: {', '.join(TYPES)}")
    if len(match["data"]) > PHOTO_MAX_BYTES * 4 // 3 + 8:
        raise ValidationError(f"photo: paling besar {PHOTO_MAX_BYTES:,} byte (perkecil fotonya)")
    try:
        data = base64.b64decode(re.sub(r"\s", "", match["data"]), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("photo: base64 tidak valid") from None
    return data, match["type"]


def photo_name(content_type: str) -> str:
    return f"{uuid.uuid4().hex}{TYPES[content_type]}"
