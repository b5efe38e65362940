"""``brief.html``: one self-contained, offline, printable brief of a plan (Bahasa Indonesia).

Summary table, a map and bar charts as inline SVG, the stage check, shortfalls and BKO, and the
roll-ups per unit and per district. Every number is read from the plan dict; per-unit figures are
sums over the plan's own posts. No external URL, script, font or image: it opens without a network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from siaga.domain.stages import STAGE_SHARES
from siaga.reports.common import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    FORCE_LABELS,
    SCHEMA,
    SYNTHETIC_LABEL,
    SYNTHETIC_NOTE,
    PlanIndex,
    fmt_int,
    fmt_num,
    fmt_pct,
)
from siaga.reports.svg import bar_chart, plan_map

UNMET_ROWS = 200  # shortfall rows listed in the brief; the workbook lists them all
UNIT_BARS = 40  # units drawn in the per-unit chart (largest requirement first)
FORCES = ("polri", "tni", "linmas")
SERIES_COLOURS = {"required": "#455a64", "assigned": "#2e7d32", "available": "#90a4ae"}


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool] | None = None) -> str:
    """An HTML table; cells are escaped, numeric columns right-aligned."""
    numeric = numeric or [False] * len(head)
    th = "".join(f'<th class="n">{escape(h)}</th>' if n else f"<th>{escape(h)}</th>"
                 for h, n in zip(head, numeric, strict=True))
    body = []
    for row in rows:
        tds = "".join(f'<td class="n">{escape(str(c))}</td>' if n else f"<td>{escape(str(c))}</td>"
                      for c, n in zip(row, numeric, strict=True))
        body.append(f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _summary(ix: PlanIndex) -> str:
    s = ix.summary
    rules = ix.params.get("rules", {})
    cat_rows = [[CATEGORY_LABELS[c], fmt_int(s["tps_by_category"].get(c, 0)), fmt_int(s["posts_by_category"].get(c, 0)),
                 rules.get(c, {}).get("label", "")] for c in CATEGORY_LABELS]
    cat_rows.append(["Jumlah", fmt_int(s["tps"]), fmt_int(s["posts"]), ""])
    force_rows = []
    for f in (*FORCES, "commander"):
        force_rows.append([FORCE_LABELS[f], fmt_int(s["required"].get(f)), fmt_int(s["assigned"].get(f)),
                           fmt_int(s["unmet"].get(f)), fmt_int(s.get("available", {}).get(f)),
                           fmt_int(s.get("strength", {}).get(f)), fmt_int(s.get("unassigned", {}).get(f))])
    other = [
        ["Regu cadangan", fmt_int(s.get("reserve_squads"))],
        ["Kekuatan cadangan (orang)", fmt_int(s.get("reserve_strength"))],
        ["Total jarak tempuh (km)", fmt_num(s.get("travel_km_total"))],
        ["Jarak tempuh terjauh (km)", fmt_num(s.get("travel_km_max"))],
        ["Radius pos terbesar (km)", fmt_num(s.get("max_post_radius_km"))],
    ]
    if s.get("moved") is not None:
        other.append(["Personel yang berpindah (rencana ulang)", fmt_int(s["moved"])])
    return (
        "<section><h2>Ringkasan</h2>"
        + _table(["Kategori", "TPS", "Pos", "Pola (Polri-TPS-Linmas)"], cat_rows, [False, True, True, False])
        + _table(["Kekuatan", "Dibutuhkan", "Ditugaskan", "Kekurangan", "Tersedia", "Kekuatan total",
                  "Tidak ditugaskan"], force_rows, [False] + [True] * 6)
        + _table(["Keterangan", "Nilai"], other, [False, True])
        + "</section>"
    )


def _map(ix: PlanIndex) -> str:
    svg = plan_map(ix.plan["tps"], ix.plan["posts"], ix.plan["reserves"], ix.synthetic)
    return ("<section><h2>Peta TPS, pos dan cadangan</h2>" + svg +
            '<p class="note">Proyeksi ekuirektangular dari lintang/bujur; tanpa peta dasar.</p></section>')


def _unit_totals(ix: PlanIndex) -> list[dict[str, Any]]:
    """Per unit: posts, TPS, required and assigned per force, summed over the plan's posts."""
    force_of = {a["personnel"]: a["force"] for a in ix.plan["assignments"]}
    out = []
    for unit_id, posts in ix.posts_by_unit.items():
        row: dict[str, Any] = {"unit": unit_id, "name": ix.unit_name(unit_id), "posts": len(posts),
                               "tps": sum(len(p["tps"]) for p in posts)}
        for f in FORCES:
            row[f"required_{f}"] = sum(p["required"].get(f, 0) for p in posts)
            row[f"assigned_{f}"] = sum(1 for p in posts for pid in p["personnel"] if force_of.get(pid) == f)
        out.append(row)
    out.sort(key=lambda r: (-r["required_polri"], r["name"]))
    return out


def _charts(ix: PlanIndex, units: list[dict[str, Any]]) -> str:
    s = ix.summary
    by_cat = [(CATEGORY_LABELS[c], [("TPS", s["tps_by_category"].get(c, 0), CATEGORY_COLOURS[c])])
              for c in CATEGORY_LABELS]
    strength = [(FORCE_LABELS[f], [("Dibutuhkan", s["required"].get(f, 0), SERIES_COLOURS["required"]),
                                   ("Ditugaskan", s["assigned"].get(f, 0), SERIES_COLOURS["assigned"]),
                                   ("Tersedia", s.get("available", {}).get(f, 0), SERIES_COLOURS["available"])])
                for f in FORCES]
    shown = units[:UNIT_BARS]
    per_unit = [(u["name"], [("Polri dibutuhkan", u["required_polri"], SERIES_COLOURS["required"]),
                             ("Polri ditugaskan", u["assigned_polri"], SERIES_COLOURS["assigned"])]) for u in shown]
    note = (f'<p class="note">{len(shown)} satuan dengan kebutuhan terbesar dari {fmt_int(len(units))}; '
            "lihat tabel per satuan.</p>") if len(units) > len(shown) else ""
    return (
        "<section><h2>Grafik</h2>"
        "<h3>TPS per kategori</h3>" + bar_chart(by_cat, title="TPS per kategori") +
        "<h3>Kekuatan: dibutuhkan, ditugaskan dan tersedia</h3>" + bar_chart(strength, title="Kekuatan per unsur") +
        "<h3>Kebutuhan Polri per satuan</h3>" + bar_chart(per_unit, title="Kebutuhan Polri per satuan") + note +
        "</section>"
    )


def _stage(ix: PlanIndex) -> str:
    stage = ix.summary.get("stage_check")
    if not stage:
        return "<section><h2>Cek kekuatan tahapan</h2><p>Rencana tidak memuat cek tahapan.</p></section>"
    verdict = '<span class="ok">Terpenuhi</span>' if stage.get("ok") else '<span class="bad">Tidak terpenuhi</span>'
    stage_names = {code: name_id for code, name_id, _, _ in STAGE_SHARES}
    rows = [["Tahapan", stage_names.get(stage.get("stage", ""), stage.get("stage", ""))], ["Porsi minimal", stage.get("required_share", "")],
            ["Kekuatan Polri", fmt_int(stage.get("polri_strength"))],
            ["Polri dikerahkan", fmt_int(stage.get("polri_deployed"))], ["Porsi", fmt_pct(stage.get("share"))]]
    return (f"<section><h2>Cek kekuatan tahapan</h2><p>{verdict}: {escape(str(stage.get('message', '')))}</p>"
            + _table(["Keterangan", "Nilai"], rows, [False, True]) + "</section>")


def _shortfalls(ix: PlanIndex) -> str:
    unmet = ix.plan["unmet"]
    bko = ix.summary.get("bko_needed") or []
    parts = ['<section class="long"><h2>Kekurangan dan kebutuhan BKO</h2>']
    if bko:
        parts.append(_table(["Kecamatan", "Kode", "Unsur", "Jumlah"],
                            [[b.get("district_name", ""), b.get("district", ""), FORCE_LABELS.get(b["force"], b["force"]),
                              fmt_int(b["count"])] for b in bko], [False, False, False, True]))
    else:
        parts.append("<p>Tidak ada kebutuhan BKO.</p>")
    if unmet:
        rows = []
        for entry in unmet[:UNMET_ROWS]:
            post = ix.post_by_id.get(entry["post"], {})
            rows.append([entry["post"], ix.unit_name(post.get("unit")), FORCE_LABELS.get(entry["force"], entry["force"]),
                         fmt_int(entry["count"]), entry.get("reason", "")])
        parts.append("<h3>Pos dengan kekurangan</h3>" +
                     _table(["Pos", "Satuan", "Unsur", "Jumlah", "Alasan"], rows, [False, False, False, True, False]))
        if len(unmet) > UNMET_ROWS:
            parts.append(f'<p class="note">{UNMET_ROWS} dari {fmt_int(len(unmet))} baris kekurangan; '
                         "daftar lengkap di lembar Kekurangan plan.xlsx.</p>")
    else:
        parts.append("<p>Semua kebutuhan pos terpenuhi.</p>")
    parts.append("</section>")
    return "".join(parts)


def _units(units: list[dict[str, Any]]) -> str:
    rows = [[u["name"], fmt_int(u["posts"]), fmt_int(u["tps"]),
             *(f"{fmt_int(u[f'assigned_{f}'])} / {fmt_int(u[f'required_{f}'])}" for f in FORCES)]
            for u in sorted(units, key=lambda r: r["name"])]
    return ('<section class="long"><h2>Per satuan (ditugaskan / dibutuhkan)</h2>'
            + _table(["Satuan", "Pos", "TPS", "Polri", "TNI", "Linmas"], rows, [False, True, True, True, True, True])
            + "</section>")


def _districts(ix: PlanIndex) -> str:
    districts = ix.plan.get("areas", {}).get("districts", [])
    if not districts:
        return ""
    rows = [[d.get("name", ""), fmt_int(d["tps"]), fmt_num(d.get("score_mean")), fmt_num(d.get("score_max")),
             *(fmt_int(d.get("tps_by_category", {}).get(c, 0)) for c in CATEGORY_LABELS)] for d in districts]
    head = ["Kecamatan", "TPS", "Skor rata-rata", "Skor maks.", *CATEGORY_LABELS.values()]
    return ('<section class="long"><h2>Kerawanan per kecamatan</h2>'
            + _table(head, rows, [False] + [True] * (len(head) - 1)) + "</section>")


def render_brief_html(plan: Mapping[str, Any], title: str | None = None) -> str:
    """The brief of a plan dict as one HTML string."""
    ix = PlanIndex(plan)
    title = title or f"Rencana Pengamanan TPS — {ix.source or 'tanpa nama'}"
    units = _unit_totals(ix)
    inp = plan.get("input", {})
    meta = (f"Sumber data: {ix.source} · Pola: {ix.pattern_name} · Seed: {ix.params.get('seed', '–')} · "
            f"{fmt_int(inp.get('tps'))} TPS, {fmt_int(inp.get('units'))} satuan, "
            f"{fmt_int(inp.get('personnel'))} personel")
    body = "".join([_summary(ix), _map(ix), _charts(ix, units), _stage(ix), _shortfalls(ix), _units(units),
                    _districts(ix)])
    template = Template(files("siaga.reports").joinpath("templates/brief.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=escape(title),
        meta=escape(meta),
        synthetic=f'<div class="synthetic">{escape(SYNTHETIC_NOTE)}</div>' if ix.synthetic else "",
        synthetic_footer=f" {SYNTHETIC_LABEL}." if ix.synthetic else "",
        schema=escape(str(plan.get("schema", SCHEMA))),
        body=body,
    )


def write_brief_html(plan: Mapping[str, Any], path: Path | str, title: str | None = None) -> Path:
    """Write brief.html from a plan dict and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(render_brief_html(plan, title), encoding="utf-8")
    tmp.replace(target)
    return target
