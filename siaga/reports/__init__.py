"""siaga.reports: plan.xlsx, plan.geojson and brief.html from a plan dict (schema ``siaga.plan/1``).

Pure (no Django): every writer takes the plan dict of docs/plan-json.md and a path, writes the file
atomically (temporary file, then rename) and returns the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from siaga.reports.brief import render_brief_html, write_brief_html
from siaga.reports.geojson import plan_features, write_plan_geojson
from siaga.reports.xlsx import write_plan_xlsx

__all__ = [
    "plan_features",
    "render_brief_html",
    "write_brief_html",
    "write_plan_geojson",
    "write_plan_xlsx",
    "write_reports",
]


def write_reports(plan: Mapping[str, Any], directory: Path | str, title: str | None = None) -> list[Path]:
    """Write plan.xlsx, plan.geojson and brief.html into ``directory``; return their paths."""
    out = Path(directory)
    return [
        write_plan_xlsx(plan, out / "plan.xlsx"),
        write_plan_geojson(plan, out / "plan.geojson"),
        write_brief_html(plan, out / "brief.html", title=title),
    ]
