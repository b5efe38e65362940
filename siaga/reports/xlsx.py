"""``plan.xlsx``: the summary and, per Polsek, the annex of the deployment order (lampiran Sprin).

Sheets: "Ringkasan" (summary), one sheet per unit holding posts (one row per person, posts grouped,
commander first, empty slots as rows to fill by hand), "Cadangan" (reserve squads and members) and
"Kekurangan" (unmet needs and BKO). Written with XlsxWriter in constant-memory mode: rows stream to
disk in order, so a Polda-size annex (over a million cells) is written in seconds, not minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

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

Style = Mapping[str, Any]  # XlsxWriter format properties
BOLD: Style = {"bold": True}
TITLE: Style = {"bold": True, "font_size": 13}
RED_BOLD: Style = {"bold": True, "font_color": "#FFFFFF"}
RED_FILL: Style = {"pattern": 1, "bg_color": "#C62828"}
HEAD_FILL: Style = {"pattern": 1, "bg_color": "#DDDDDD"}
MISSING: Style = {"italic": True, "font_color": "#C62828"}
POST_TOP: Style = {"top": 1, "top_color": "#999999"}
WRAP: Style = {"text_wrap": True, "valign": "top"}
A4 = 9  # XlsxWriter's paper code for A4
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


class Book:
    """An XlsxWriter workbook with its formats made once per combination of styles."""

    def __init__(self, path: Path) -> None:
        # text stays text: never a formula, a URL or a number guessed from a string
        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                  "strings_to_urls": False, "strings_to_numbers": False})
        self._formats: dict[tuple, Any] = {}

    def format(self, *styles: Style | None, wrap: bool = False) -> Any:
        key = (*(id(style) for style in styles), wrap)
        if key not in self._formats:
            merged: dict[str, Any] = {}
            for style in styles:
                merged.update(style or {})
            if wrap:
                merged.update(WRAP)
            self._formats[key] = self.wb.add_format(merged) if merged else None
        return self._formats[key]

    def close(self) -> None:
        self.wb.close()


class _Sheet:
    """A streamed sheet with helpers for styled rows (rows are written strictly in order)."""

    def __init__(self, book: Book, title: str, widths: Sequence[float], header_row: int | None = None) -> None:
        self.book = book
        self.title = title
        self.ws = book.wb.add_worksheet(title)
        self.header_row = header_row
        if header_row is not None:
            self.ws.repeat_rows(header_row - 1)
            self.ws.freeze_panes(header_row, 0)
        for i, width in enumerate(widths):
            self.ws.set_column(i, i, width)
        self.ws.set_landscape()
        self.ws.set_paper(A4)
        self.ws.fit_to_pages(1, 0)
        self.rows = 0

    def row(self, values: Sequence[Any] = (), font: Style | None = None, fill: Style | None = None,
            border: Style | None = None, wrap: bool = False) -> None:
        fmt = self.book.format(font, fill, border, wrap=wrap)
        write, row = self.ws.write, self.rows
        for col, value in enumerate(values):
            if value is None or value == "":
                if fmt is not None:  # a styled blank keeps the row's border and fill
                    self.ws.write_blank(row, col, None, fmt)
            else:
                write(row, col, value, fmt)
        self.rows += 1

    def header(self, values: Sequence[str]) -> None:
        """A table header, bold and shaded; the sheet's main header must land on ``header_row``."""
        self.row(values, font=BOLD, fill=HEAD_FILL)

    def main_header(self, values: Sequence[str]) -> None:
        """The sheet's main header, on the row frozen and printed on every page."""
        if self.rows + 1 != self.header_row:
            raise AssertionError(f"header of {self.title} on row {self.rows + 1}, expected {self.header_row}")
        self.header(values)

    def banner(self, index: PlanIndex) -> None:
        if index.synthetic:
            self.row([SYNTHETIC_NOTE], font=RED_BOLD, fill=RED_FILL)


def _summary(wb: Book, ix: PlanIndex) -> None:
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


def _post_lines(ix: PlanIndex, post: Mapping[str, Any]) -> list[tuple[list[Any], Style | None]]:
    """Rows (Nama, Pangkat, NRP, Jabatan) of a post: people in plan order, then empty slots to fill by hand.

    A missing commander is one of the missing Polri, so it takes the first empty Polri row, shown first;
    when every Polri slot is filled but none can lead, a note row asks for a commander.
    """
    gaps = {"polri": 0, "tni": 0, "linmas": 0, "commander": 0}
    for entry in ix.unmet_by_post.get(post["id"], []):
        gaps[entry["force"]] = gaps.get(entry["force"], 0) + int(entry["count"])
    lines: list[tuple[list[Any], Style | None]] = []
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


def _annex(wb: Book, ix: PlanIndex, title: str, unit_id: str, posts: Sequence[Mapping[str, Any]]) -> None:
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


def _reserves(wb: Book, ix: PlanIndex) -> None:
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


def _shortfalls(wb: Book, ix: PlanIndex) -> None:
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
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    wb = Book(tmp)
    _summary(wb, ix)
    unit_ids = sorted(ix.posts_by_unit, key=lambda u: (ix.unit_name(u).lower(), u))
    titles = sheet_names([ix.unit_name(u) for u in unit_ids])
    for title, unit_id in zip(titles, unit_ids, strict=True):
        _annex(wb, ix, title, unit_id, ix.posts_by_unit[unit_id])
    _reserves(wb, ix)
    _shortfalls(wb, ix)
    wb.close()
    tmp.replace(target)
    return target
