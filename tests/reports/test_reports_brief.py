"""brief.html: self-contained and offline, numbers from the plan, synthetic label, thinning for big plans."""

from __future__ import annotations

import re

from siaga.reports import render_brief_html, write_brief_html, write_reports
from siaga.reports.common import fmt_int, fmt_num


def test_brief_is_offline_and_self_contained(plan, tmp_path):
    """No URL, script, link, image source, CSS import or web font: the file opens without a network."""
    html = write_brief_html(plan, tmp_path / "brief.html").read_text(encoding="utf-8")
    lowered = html.lower()
    for banned in ("http", "//", "<script", "<link", "src=", "href=", "@import", "url(", "@font-face"):
        assert banned not in lowered.replace("<!--", ""), banned
    assert html.count("<svg") >= 4  # map and three charts
    assert "@media print" in html and "size: A4" in html


def test_brief_shows_the_plan_numbers(plan):
    """Summary, stage check, shortfall and BKO figures appear as the plan states them."""
    html = render_brief_html(plan, title="Uji Brief")
    assert "<title>Uji Brief</title>" in html
    assert "DATA SINTETIS" in html
    text = re.sub(r"<[^>]+>", "|", html)
    assert "|Polri||12||9||3||12||13||0|" in text
    assert "|Linmas||8||8||0||8||8||0|" in text
    assert "|25,3|" in text and "|4,1|" in text  # travel km, Indonesian decimals
    assert "12 dari 13 Polri dikerahkan" in html and "|92%|" in text
    assert "|Kecamatan Beta||99.01.02||Polri||3|" in text
    assert "Tidak ada Polri yang dapat memimpin pos di wilayah Polsek Beta" in html
    assert "|Polsek Beta||2||2||1 / 4||1 / 1||2 / 2|" in text  # per unit: assigned / required
    assert "|Kecamatan Beta||2||48,7||85,0||1||0||1||0|" in text  # district roll-up from plan.areas


def test_brief_without_synthetic_label_for_real_data(plan):
    """A plan not marked synthetic shows no synthetic label."""
    plan["synthetic"] = False
    assert "SINTETIS" not in render_brief_html(plan)


def test_big_plan_map_is_thinned_but_keeps_rawan(plan):
    """Thousands of TPS are drawn on a grid; every category present still shows on the map."""
    base = plan["tps"][0]
    tps = []
    for i in range(6000):  # a dense 0.02 degree block, plus one TPS far away to widen the map
        cat = "sangat_rawan" if i % 500 == 0 else "kurang_rawan"
        tps.append({**base, "id": f"X{i:05d}", "lat": -7.8 + (i % 80) * 0.00025, "lon": 112.0 + (i // 80) * 0.00025,
                    "category": cat})
    tps.append({**base, "id": "Y00000", "lat": -7.3, "lon": 112.5, "category": "rawan"})
    plan["tps"] = tps
    html = render_brief_html(plan)
    drawn = html.count("<circle")
    assert drawn < 1000
    assert 'class="tps-sangat_rawan"' in html
    assert 'class="tps-rawan"' in html
    assert "6.001 TPS ditampilkan sebagai" in html


def test_write_reports_writes_three_files(plan, tmp_path):
    """write_reports produces plan.xlsx, plan.geojson and brief.html."""
    paths = write_reports(plan, tmp_path / "laporan")
    assert [p.name for p in paths] == ["plan.xlsx", "plan.geojson", "brief.html"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert not list((tmp_path / "laporan").glob("*.tmp"))


def test_indonesian_number_format():
    """Thousands use dots and decimals a comma."""
    assert fmt_int(14338) == "14.338"
    assert fmt_num(1234.56) == "1.234,6"
    assert fmt_int(None) == "–"
