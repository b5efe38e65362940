"""``plan.xlsx``: the summary and, per Polsek, the annex of the deployment order (lampiran Sprin).

Sheets: "Ringkasan" (summary), one sheet per unit holding posts (one row per person, posts grouped,
commander first, empty slots as rows to fill by hand), "Cadangan" (reserve squads and members) and
"Kekurangan" (unmet needs and BKO). Written in openpyxl's write-only mode so a Polda-size plan fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from siaga.domain.stages import STAGE_SHARES
from siaga.reports.common import (
    CATEGORY_LABELS,
    FORCE_LABELS,
    RESERVE_KIND_LABELS,
    ROLE_LABELS,
    SYNTHETIC_NOTE,
    PlanIndex,
    tps_numbers,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
RED_BOLD = Font(bold=True, color="FFFFFF")
RED_FILL = PatternFill("solid", fgColor="C62828")
HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
MISSING = Font(italic=True, color="C62828")
THIN = Side(style="thin", color="999999")
POST_TOP = Border(top=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
FIXED_SHEETS = ("Ringkasan", "Cadangan", "Kekurangan")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: Sequence[str], reserved: Iterable[str] = FIXED_SHEETS) -> list[str]:
    """Excel-safe sheet names: no []:*?/\\, at most 31 characters, unique (case-insensitive)."""
    taken = {r.lower() for r in reserved}
    out = []
    for name in names:
        base = _BAD_SHEET_CHARS.sub(" ", name).strip().strip("'")[:31] or "Satuan"
        candidate, n = base, 2
        while candidate.lower() in taken:
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
            n += 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


class _Sheet:
    """A write-only sheet with helpers for styled rows."""

    def __init__(self, wb: Workbook, title: str, widths: Sequence[float], header_row: int | None = None) -> None:
        # write-only sheets emit views and columns with the first row: set them all now
        self.ws = wb.create_sheet(title)
        self.header_row = header_row
        if header_row is not None:
            self.ws.print_title_rows = f"{header_row}:{header_row}"
            self.ws.freeze_panes = f"A{header_row + 1}"
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.rows = 0
        self._styles: dict[tuple, Any] = {}

    def row(self, values: Sequence[Any] = (), font: Font | None = None, fill: PatternFill | None = None,
            border: Border | None = None, wrap: bool = False) -> None:
        values = [None if v == "" else v for v in values]  # empty cells are not written at all
        if font is None and fill is None and border is None and not wrap:
            self.ws.append(values)  # unstyled rows skip the per-cell objects (most of a big annex)
            self.rows += 1
            return
        key = (id(font), id(fill), id(border), wrap)
        style = self._styles.get(key)
        if style is None:  # style each combination once; cells then share a copy of its style array
            probe = WriteOnlyCell(self.ws)
            if font is not None:
                probe.font = font
            if fill is not None:
                probe.fill = fill
            if border is not None:
                probe.border = border
            if wrap:
                probe.alignment = WRAP
            style = self._styles[key] = probe._style
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=value)
            cell._style = copy(style)
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1

    def header(self, values: Sequence[str]) -> None:
        """A table header, bold and shaded; the sheet's main header must land on ``header_row``."""
        self.row(values, font=BOLD, fill=HEAD_FILL)

    def main_header(self, values: Sequence[str]) -> None:
        """The sheet's main header, on the row frozen and printed on every page."""
        if self.rows + 1 != self.header_row:
            raise AssertionError(f"header of {self.ws.title} on row {self.rows + 1}, expected {self.header_row}")
        self.header(values)

    def banner(self, index: PlanIndex) -> None:
        if index.synthetic:
            self.row([SYNTHETIC_NOTE], font=RED_BOLD, fill=RED_FILL)


def _summary(wb: Workbook, ix: PlanIndex) -> None:
    s = ix.summary
    sh = _Sheet(wb, "Ringkasan", (34, 14, 14, 14, 14, 16, 18), header_row=None)
    sh.row(["RINGKASAN RENCANA PENGAMANAN TPS"], font=TITLE)
    sh.banner(ix)
    sh.row(["Sumber data", ix.source])
    sh.row(["Pola pengamanan", ix.pattern_name])
    sh.row()
    sh.header(["Kategori", "TPS", "Pos", "Pola (Polri-TPS-Linmas)"])
    rules = ix.params.get("rules", {})
    for cat, label in CATEGORY_LABELS.items():
        sh.row([label, s["tps_by_category"].get(cat, 0), s["posts_by_category"].get(cat, 0),
                rules.get(cat, {}).get("label", "")])
    sh.row(["Jumlah", s["tps"], s["posts"]], font=BOLD)
    sh.row()
    sh.row(["Kekuatan", "Dibutuhkan", "Ditugaskan", "Kekurangan", "Tersedia", "Kekuatan total", "Tidak ditugaskan"],
           font=BOLD, fill=HEAD_FILL)
    for force in ("polri", "tni", "linmas", "commander"):
        sh.row([FORCE_LABELS[force], s["required"].get(force), s["assigned"].get(force), s["unmet"].get(force),
                s.get("available", {}).get(force), s.get("strength", {}).get(force),
                s.get("unassigned", {}).get(force)])
    sh.row()
    sh.row(["Cadangan"], font=BOLD)
    sh.row(["Regu cadangan", s.get("reserve_squads")])
    sh.row(["Kekuatan cadangan (orang)", s.get("reserve_strength")])
    sh.row()
    sh.row(["Perjalanan dan jangkauan"], font=BOLD)
    sh.row(["Total jarak tempuh (km)", s.get("travel_km_total")])
    sh.row(["Jarak tempuh terjauh (km)", s.get("travel_km_max")])
    sh.row(["Radius pos terbesar (km)", s.get("max_post_radius_km")])
    if s.get("moved") is not None:
        sh.row(["Personel yang berpindah (rencana ulang)", s["moved"]])
    stage = s.get("stage_check")
    if stage:
        sh.row()
        sh.row(["Cek kekuatan tahapan"], font=BOLD)
        stage_names = {code: name_id for code, name_id, _, _ in STAGE_SHARES}
        sh.row(["Tahapan", stage_names.get(stage.get("stage", ""), stage.get("stage"))])
        sh.row(["Porsi minimal", stage.get("required_share")])
        sh.row(["Kekuatan Polri", stage.get("polri_strength")])
        sh.row(["Polri dikerahkan", stage.get("polri_deployed")])
        sh.row(["Porsi", stage.get("share")])
        sh.row(["Terpenuhi", "Ya" if stage.get("ok") else "Tidak"], font=None if stage.get("ok") else MISSING)
        sh.row([stage.get("message", "")])
    sh.row()
    sh.row(["BKO dibutuhkan"], font=BOLD)
    bko = s.get("bko_needed") or []
    if not bko:
        sh.row(["Tidak ada"])
    for entry in bko:
        sh.row([f"{entry.get('district_name', '')} ({entry.get('district', '')})",
                FORCE_LABELS.get(entry["force"], entry["force"]), entry["count"]])
    sh.row()
    sh.row(["Waktu hitung (detik)", s.get("runtime_s")])


def _post_lines(ix: PlanIndex, post: Mapping[str, Any]) -> list[tuple[list[Any], Font | None]]:
    """Rows (Nama, Pangkat, NRP, Jabatan) of a post: people in plan order, then empty slots to fill by hand.

    A missing commander is one of the missing Polri, so it takes the first empty Polri row, shown first;
    when every Polri slot is filled but none can lead, a note row asks for a commander.
    """
    gaps = {"polri": 0, "tni": 0, "linmas": 0, "commander": 0}
    for entry in ix.unmet_by_post.get(post["id"], []):
        gaps[entry["force"]] = gaps.get(entry["force"], 0) + int(entry["count"])
    lines: list[tuple[list[Any], Font | None]] = []
    if gaps["commander"]:
        if gaps["polri"]:
            gaps["polri"] -= 1
            lines.append((["(belum terisi: Polri yang dapat memimpin)", "", "", ROLE_LABELS["commander"]], MISSING))
        else:
            lines.append((["(belum ada Polri yang dapat memimpin pos)", "", "", ROLE_LABELS["commander"]], MISSING))
    for pid in post["personnel"]:
        person = ix.person(pid)
        role = ix.role_of.get(pid, "")
        lines.append(([person.get("name", ""), person.get("rank", ""), pid, ROLE_LABELS.get(role, role)], None))
    for force, role in (("polri", "polri"), ("tni", "tni"), ("linmas", "linmas")):
        lines.extend(([f"(belum terisi: {FORCE_LABELS[force]})", "", "", ROLE_LABELS[role]], MISSING)
                     for _ in range(gaps[force]))
    return lines


def _annex(wb: Workbook, ix: PlanIndex, title: str, unit_id: str, posts: Sequence[Mapping[str, Any]]) -> None:
    sh = _Sheet(wb, title, (6, 22, 34, 14, 28, 12, 16, 16), header_row=5 + ix.synthetic)
    sh.row(["LAMPIRAN SURAT PERINTAH"], font=TITLE)
    sh.row(["Nomor: ..................................   Tanggal: ....................."])
    sh.row([f"DAFTAR PERSONEL PENGAMANAN TPS — {ix.unit_name(unit_id)}"], font=BOLD)
    sh.row([f"Operasi / sumber data: {ix.source}   ·   Pola: {ix.pattern_name}"])
    sh.banner(ix)
    sh.main_header(["No", "Pos", "TPS", "Kategori", "Nama", "Pangkat", "NRP", "Jabatan"])
    number = 0
    for post in posts:
        first = [post["id"], tps_numbers(post["tps"], ix.tps_by_id), CATEGORY_LABELS.get(post["category"], "")]
        lines = _post_lines(ix, post)
        if not lines:
            lines.append((["(tanpa personel)", "", "", ""], MISSING))
        for i, (values, font) in enumerate(lines):
            number += 1
            head = first if i == 0 else ["", "", ""]
            sh.row([number, *head, *values], font=font, border=POST_TOP if i == 0 else None, wrap=i == 0)


def _reserves(wb: Workbook, ix: PlanIndex) -> None:
    sh = _Sheet(wb, "Cadangan", (10, 26, 10, 11, 11, 12, 6, 28, 12, 16), header_row=2 + ix.synthetic)
    sh.row(["REGU CADANGAN"], font=TITLE)
    sh.banner(ix)
    sh.main_header(["Regu", "Satuan", "Jenis", "Lintang", "Bujur", "Jangkauan (km)", "No", "Nama", "Pangkat", "NRP"])
    for squad in ix.plan["reserves"]:
        head = [squad["id"], ix.unit_name(squad.get("unit")), RESERVE_KIND_LABELS.get(squad.get("kind", ""), ""),
                squad["lat"], squad["lon"], squad.get("covers_km")]
        members = squad["personnel"] or [None]
        for i, pid in enumerate(members, 1):
            person = ix.person(pid) if pid else {}
            tail = [i, person.get("name", ""), person.get("rank", ""), pid or ""]
            sh.row([*(head if i == 1 else [""] * 6), *tail], border=POST_TOP if i == 1 else None)


def _shortfalls(wb: Workbook, ix: PlanIndex) -> None:
    sh = _Sheet(wb, "Kekurangan", (22, 24, 14, 14, 9, 60), header_row=2 + ix.synthetic)
    sh.row(["KEKURANGAN PERSONEL"], font=TITLE)
    sh.banner(ix)
    sh.main_header(["Pos", "Satuan", "Kategori", "Kekuatan", "Jumlah", "Alasan"])
    if not ix.plan["unmet"]:
        sh.row(["Tidak ada kekurangan"])
    for entry in ix.plan["unmet"]:
        post = ix.post_by_id.get(entry["post"], {})
        sh.row([entry["post"], ix.unit_name(post.get("unit")), CATEGORY_LABELS.get(post.get("category", ""), ""),
                FORCE_LABELS.get(entry["force"], entry["force"]), entry["count"], entry.get("reason", "")], wrap=True)
    sh.row()
    sh.row(["BKO DIBUTUHKAN"], font=BOLD)
    sh.row(["Kode kecamatan", "Kecamatan", "Kekuatan", "Jumlah"], font=BOLD, fill=HEAD_FILL)
    bko = ix.summary.get("bko_needed") or []
    if not bko:
        sh.row(["Tidak ada"])
    for entry in bko:
        sh.row([entry.get("district", ""), entry.get("district_name", ""),
                FORCE_LABELS.get(entry["force"], entry["force"]), entry["count"]])


def write_plan_xlsx(plan: Mapping[str, Any], path: Path | str) -> Path:
    """Write plan.xlsx from a plan dict and return its path."""
    ix = PlanIndex(plan)
    wb = Workbook(write_only=True)
    _summary(wb, ix)
    unit_ids = sorted(ix.posts_by_unit, key=lambda u: (ix.unit_name(u).lower(), u))
    titles = sheet_names([ix.unit_name(u) for u in unit_ids])
    for title, unit_id in zip(titles, unit_ids, strict=True):
        _annex(wb, ix, title, unit_id, ix.posts_by_unit[unit_id])
    _reserves(wb, ix)
    _shortfalls(wb, ix)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    wb.save(tmp)
    tmp.replace(target)
    return target
