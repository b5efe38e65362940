"""Inline SVG for the offline brief: an equirectangular map and horizontal bar charts.

No external resources: the SVG is embedded in the HTML (no xmlns needed there), fonts are the
reader's default sans-serif. Large plans are thinned on a pixel grid: each grid cell draws one mark
in the most demanding category inside it, so no rawan TPS is ever hidden behind a kurang rawan one;
beyond a few thousand posts, posts are left off the map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import numpy as np

from siaga.reports.common import CATEGORY_COLOURS, CATEGORY_LABELS, SYNTHETIC_LABEL, fmt_int, fmt_num

KM_PER_DEGREE = 111.195  # great-circle km per degree of latitude (mean Earth radius)
CATEGORY_ORDER = tuple(CATEGORY_COLOURS)  # kurang_rawan ... khusus: later ones are drawn on top
TPS_DRAW_ALL = 4000  # up to this many TPS every TPS gets its own mark
POST_DRAW_ALL = 3000  # above this posts are left off the map (they would hide the TPS colours)
POST_COLOUR = "#111111"
RESERVE_COLOUR = "#1565c0"


class Projection:
    """Equirectangular projection of lat/lon onto a width x height box with a margin."""

    def __init__(self, lats: np.ndarray, lons: np.ndarray, width: int, max_height: int, margin: int = 14) -> None:
        lat_min, lat_max = float(lats.min()), float(lats.max())
        lon_min, lon_max = float(lons.min()), float(lons.max())
        pad = 0.005
        if lat_max - lat_min < 2 * pad:
            lat_min, lat_max = lat_min - pad, lat_max + pad
        if lon_max - lon_min < 2 * pad:
            lon_min, lon_max = lon_min - pad, lon_max + pad
        self.kx = math.cos(math.radians((lat_min + lat_max) / 2))
        dx, dy = (lon_max - lon_min) * self.kx, lat_max - lat_min
        inner_w = width - 2 * margin
        height = int(min(max(inner_w * dy / dx + 2 * margin, 260), max_height))
        self.scale = min(inner_w / dx, (height - 2 * margin) / dy)  # px per degree of latitude
        self.width, self.height = width, height
        self.x0 = margin + (inner_w - dx * self.scale) / 2
        self.y0 = margin + (height - 2 * margin - dy * self.scale) / 2
        self.lon_min, self.lat_max = lon_min, lat_max

    def xy(self, lats: np.ndarray, lons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = self.x0 + (np.asarray(lons, float) - self.lon_min) * self.kx * self.scale
        y = self.y0 + (self.lat_max - np.asarray(lats, float)) * self.scale
        return x, y

    @property
    def km_per_px(self) -> float:
        return KM_PER_DEGREE / self.scale


def _thin(x: np.ndarray, y: np.ndarray, rank: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One point per grid cell, keeping the highest rank (ties: the first); points keep their position."""
    cx, cy = np.floor(x / cell).astype(np.int64), np.floor(y / cell).astype(np.int64)
    key = cx * 1_000_003 + cy
    order = np.lexsort((-rank, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    keep = order[first]
    return x[keep], y[keep], rank[keep]


def nice_length(km: float) -> float:
    """The largest 1-2-5 x 10^k not above ``km``."""
    if km <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(km))
    return max(m * power for m in (1, 2, 5) if m * power <= km)


def plan_map(tps: Sequence[Mapping[str, Any]], posts: Sequence[Mapping[str, Any]],
             reserves: Sequence[Mapping[str, Any]], synthetic: bool, width: int = 760, max_height: int = 760) -> str:
    """The map of TPS (coloured by category), posts (squares) and reserves (triangles) as an <svg>."""
    points = [(t["lat"], t["lon"]) for t in tps] + [(p["lat"], p["lon"]) for p in posts] + \
             [(r["lat"], r["lon"]) for r in reserves]
    if not points:
        return '<p class="note">Tidak ada titik untuk dipetakan.</p>'
    arr = np.asarray(points, dtype=float)
    proj = Projection(arr[:, 0], arr[:, 1], width, max_height)
    legend_h = 58
    parts = [f'<svg class="map" viewBox="0 0 {width} {proj.height + legend_h}" width="{width}" '
             f'height="{proj.height + legend_h}" role="img" aria-label="Peta TPS, pos dan cadangan">',
             f'<rect x="0" y="0" width="{width}" height="{proj.height}" fill="#f7f7f4" stroke="#bbb"/>']
    if synthetic:
        parts.append(f'<text x="{width / 2:.0f}" y="{proj.height / 2:.0f}" class="watermark" text-anchor="middle">'
                     f"{SYNTHETIC_LABEL}</text>")
    notes = []
    if tps:
        x, y = proj.xy(np.array([t["lat"] for t in tps]), np.array([t["lon"] for t in tps]))
        rank = np.array([CATEGORY_ORDER.index(t["category"]) for t in tps])
        radius = 2.4
        if len(tps) > TPS_DRAW_ALL:
            x, y, rank = _thin(x, y, rank, 3.0)
            radius = 1.6
            notes.append(f"{fmt_int(len(tps))} TPS ditampilkan sebagai {fmt_int(len(x))} titik "
                         "(satu titik per sel 3 px, warna kategori tertinggi di sel itu)")
        for r_idx, cat in enumerate(CATEGORY_ORDER):
            sel = rank == r_idx
            if sel.any():
                circles = "".join(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{radius}"/>' for a, b in zip(x[sel], y[sel], strict=True))
                parts.append(f'<g fill="{CATEGORY_COLOURS[cat]}" class="tps-{cat}">{circles}</g>')
    if len(posts) > POST_DRAW_ALL:
        notes.append(f"{fmt_int(len(posts))} pos tidak digambar agar warna TPS tetap terbaca; "
                     "lokasi pos ada di plan.geojson")
    elif posts:
        x, y = proj.xy(np.array([p["lat"] for p in posts]), np.array([p["lon"] for p in posts]))
        squares = "".join(f'<rect x="{a - 3:.1f}" y="{b - 3:.1f}" width="6" height="6"/>' for a, b in zip(x, y, strict=True))
        parts.append(f'<g fill="none" stroke="{POST_COLOUR}" stroke-width="0.8" class="posts">{squares}</g>')
    label_reserves = len(reserves) <= 40
    for r in reserves:
        (a,), (b,) = proj.xy(np.array([r["lat"]]), np.array([r["lon"]]))
        parts.append(f'<path d="M{a:.1f},{b - 6:.1f} L{a + 6:.1f},{b + 5:.1f} L{a - 6:.1f},{b + 5:.1f} Z" '
                     f'fill="{RESERVE_COLOUR}" stroke="#fff" stroke-width="0.8"/>')
        if label_reserves:
            anchor, dx = ("end", -8) if a > width - 60 else ("start", 8)
            parts.append(f'<text x="{a + dx:.1f}" y="{b + 4:.1f}" text-anchor="{anchor}" class="label">'
                         f'{escape(str(r["id"]))}</text>')
    parts.append(_legend(proj, legend_h))
    parts.append("</svg>")
    note_html = "".join(f'<p class="note">{escape(n)}.</p>' for n in notes)
    return "".join(parts) + note_html


def _legend(proj: Projection, legend_h: int) -> str:
    y = proj.height + 20
    items, x = [], 10
    for cat in CATEGORY_ORDER:
        items.append(f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{CATEGORY_COLOURS[cat]}"/>'
                     f'<text x="{x + 14}" y="{y}" class="label">{escape(CATEGORY_LABELS[cat])}</text>')
        x += 30 + 7 * len(CATEGORY_LABELS[cat])
    items.append(f'<rect x="{x}" y="{y - 9}" width="9" height="9" fill="none" stroke="{POST_COLOUR}"/>'
                 f'<text x="{x + 14}" y="{y}" class="label">Pos pengamanan</text>')
    x += 130
    items.append(f'<path d="M{x + 5},{y - 10} L{x + 11},{y + 1} L{x - 1},{y + 1} Z" fill="{RESERVE_COLOUR}"/>'
                 f'<text x="{x + 16}" y="{y}" class="label">Regu cadangan</text>')
    km = nice_length(proj.km_per_px * proj.width / 5)
    px = km / proj.km_per_px if km else 0
    sy = proj.height + legend_h - 14
    km_text = fmt_int(km) if km >= 1 else fmt_num(km, 1)
    items.append(f'<g class="scale"><path d="M10,{sy - 5} L10,{sy} L{10 + px:.1f},{sy} L{10 + px:.1f},{sy - 5}" '
                 f'fill="none" stroke="#000" stroke-width="1.5"/>'
                 f'<text x="{16 + px:.1f}" y="{sy}" class="label">{km_text} km</text></g>')
    return "".join(items)


def bar_chart(rows: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], width: int = 760,
              label_w: int = 190, bar_h: int = 14, title: str = "") -> str:
    """Horizontal bars: each row is (label, [(series name, value, colour), ...]); values printed as integers."""
    series = [(name, colour) for name, _, colour in rows[0][1]] if rows else []
    max_v = max((v for _, bars in rows for _, v, _ in bars), default=0) or 1
    group_h = bar_h * len(series) + 8
    legend_h = 22 if len(series) > 1 else 0
    height = legend_h + group_h * len(rows) + 6
    plot_w = width - label_w - 70
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}">']
    if legend_h:
        x = label_w
        for name, colour in series:
            parts.append(f'<rect x="{x}" y="5" width="10" height="10" fill="{colour}"/>'
                         f'<text x="{x + 14}" y="14" class="label">{escape(name)}</text>')
            x += 24 + 7 * len(name)
    for i, (label, bars) in enumerate(rows):
        y0 = legend_h + i * group_h
        parts.append(f'<text x="{label_w - 6}" y="{y0 + group_h / 2 + 2:.1f}" text-anchor="end" class="label">'
                     f"{escape(label)}</text>")
        for j, (_, value, colour) in enumerate(bars):
            y = y0 + j * bar_h
            w = plot_w * (value or 0) / max_v
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}"/>'
                         f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" class="value">{fmt_int(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
