"""Shared pieces of the report writers: labels, number formatting and lookups into a plan dict.

Reports read only the plan dict (schema ``siaga.plan/1``, docs/plan-json.md); nothing here
recomputes a figure the plan already states.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

SCHEMA = "siaga.plan/1"

CATEGORY_LABELS: dict[str, str] = {
    "kurang_rawan": "Kurang rawan",
    "rawan": "Rawan",
    "sangat_rawan": "Sangat rawan",
    "khusus": "TPS khusus",
}
CATEGORY_COLOURS: dict[str, str] = {
    "kurang_rawan": "#2e7d32",
    "rawan": "#f9a825",
    "sangat_rawan": "#c62828",
    "khusus": "#6a1b9a",
}
FORCE_LABELS: dict[str, str] = {"polri": "Polri", "tni": "TNI", "linmas": "Linmas", "commander": "Komandan pos"}
ROLE_LABELS: dict[str, str] = {"commander": "Komandan Pos", "polri": "Anggota", "tni": "TNI", "linmas": "Linmas"}
RESERVE_KIND_LABELS: dict[str, str] = {"own": "Sendiri", "bko": "BKO"}
SYNTHETIC_LABEL = "DATA SINTETIS"
SYNTHETIC_NOTE = "DATA SINTETIS: nama, koordinat dan personel rekaan, bukan data sebenarnya."


def check_plan(plan: Mapping[str, Any]) -> None:
    """Reject anything that is not a ``siaga.plan/1`` dict, naming what is wrong."""
    if not isinstance(plan, Mapping):
        raise ValueError("rencana harus berupa dict plan.json")
    if plan.get("schema") != SCHEMA:
        raise ValueError(f"skema rencana {plan.get('schema')!r} tidak didukung; harus {SCHEMA!r}")
    for key in ("summary", "tps", "posts", "assignments", "reserves", "unmet", "units", "personnel"):
        if key not in plan:
            raise ValueError(f"rencana tidak memuat bagian {key!r}")


def fmt_int(value: int | float | None) -> str:
    """Whole number with Indonesian thousands dots: 14338 -> '14.338'."""
    if value is None:
        return "–"
    return f"{round(value):,}".replace(",", ".")


def fmt_num(value: float | None, digits: int = 1) -> str:
    """Decimal number the Indonesian way: 1234.5 -> '1.234,5'."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def fmt_pct(share: float | None) -> str:
    """A share 0..1 as a whole percentage: 0.9896 -> '99%'."""
    return "–" if share is None else f"{round(share * 100):d}%"


def tps_numbers(tps_ids: Iterable[str], tps_by_id: Mapping[str, Mapping[str, Any]]) -> str:
    """'TPS 001, 002 Bandar Lor; TPS 004 Pojok' for the TPS of a post, grouped by village in order."""
    groups: dict[str, list[str]] = {}
    for tps_id in tps_ids:
        tps = tps_by_id.get(tps_id)
        if tps is None:
            groups.setdefault("", []).append(tps_id)
            continue
        groups.setdefault(tps.get("village_name") or tps.get("village", ""), []).append(f"{int(tps['number']):03d}")
    return "; ".join(f"TPS {', '.join(nums)} {village}".strip() for village, nums in groups.items())


class PlanIndex:
    """Lookups into one plan dict, built once per report."""

    def __init__(self, plan: Mapping[str, Any]) -> None:
        check_plan(plan)
        self.plan = plan
        self.summary: Mapping[str, Any] = plan["summary"]
        self.params: Mapping[str, Any] = plan.get("params", {})
        self.synthetic: bool = bool(plan.get("synthetic"))
        self.source: str = str(plan.get("input", {}).get("source", ""))
        self.tps_by_id = {t["id"]: t for t in plan["tps"]}
        self.units_by_id = {u["id"]: u for u in plan["units"]}
        self.personnel_by_id = {p["id"]: p for p in plan["personnel"]}
        self.role_of = {a["personnel"]: a["role"] for a in plan["assignments"]}
        self.posts_by_unit: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for post in plan["posts"]:
            self.posts_by_unit[post.get("unit") or ""].append(post)
        self.unmet_by_post: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for entry in plan["unmet"]:
            self.unmet_by_post[entry["post"]].append(entry)
        self.post_by_id = {p["id"]: p for p in plan["posts"]}

    def unit_name(self, unit_id: str | None) -> str:
        """The unit's name, else its id, else '(tanpa satuan)'."""
        if not unit_id:
            return "(tanpa satuan)"
        unit = self.units_by_id.get(unit_id)
        return str(unit["name"]) if unit else str(unit_id)

    def person(self, personnel_id: str) -> Mapping[str, Any]:
        """The roster entry of a person (a stub with only the id when the roster lacks it)."""
        return self.personnel_by_id.get(personnel_id, {"id": personnel_id, "name": "", "rank": ""})

    @property
    def pattern_name(self) -> str:
        return str(self.params.get("pattern", ""))
