"""Translated labels of codes shown on the pages (categories, forces, statuses)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS = {
    "belum_dinilai": _("Belum dinilai"),
    "kurang_rawan": _("Kurang rawan"),
    "rawan": _("Rawan"),
    "sangat_rawan": _("Sangat rawan"),
    "khusus": _("Khusus"),
}
FORCE_LABELS = {"polri": "Polri", "tni": "TNI", "linmas": "Linmas"}
STATUS_LABELS = {
    "available": _("Siap"),
    "leave": _("Cuti"),
    "sick": _("Sakit"),
    "training": _("Pendidikan/latihan"),
}
