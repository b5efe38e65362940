"""The plan.toml texts shipped with the scenarios, and their patterns as siaga.planning Pattern objects."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from siaga.domain.vocab import CATEGORIES
from siaga.planning.patterns import CategoryRule, Pattern

PLAN_FILES = ("kediri-kota-2024", "pilkades", "synthetic")
# Name of the pattern each file writes out (the planner knows only its presets by name).
PATTERN_NAMES = {"kediri-kota-2024": "kediri-kota-2024", "pilkades": "pilkades", "synthetic": "sintetis-pilkada-2024"}

_SOURCES = {
    "kediri-kota-2024": "Siaga scenario kediri-kota-pilkada-2024 (after Polres Kediri Kota, Pemilu 2024 "
                        "'2 per 2 or 2 per 4 TPS', scaled to Pilkada TPS size)",
    "pilkades": "Pilkades practice: 1 Polri + 1 Babinsa per TPS (Polresta Kediri 2019)",
    "sintetis-pilkada-2024": "Pagar Alam / Kulon Progo 2024 (2-8-16), Polda Jateng 2024 (2-6-12, 2-1-2)",
}


@cache
def plan_text(name: str) -> str:
    """The shipped plan.toml text ``name`` (one of PLAN_FILES)."""
    if name not in PLAN_FILES:
        raise ValueError(f"plan.toml {name!r} tidak ada; pilihan: {', '.join(PLAN_FILES)}")
    return resources.files("siaga.scenarios").joinpath("data", "plans", f"{name}.toml").read_text(encoding="utf-8")


def pattern_from_plan(text: str, name: str | None = None) -> Pattern:
    """The pattern written as ``[categories.*]`` tables in a plan.toml text (all four categories)."""
    doc = tomllib.loads(text)
    name = name or doc.get("pattern", "custom")
    tables = doc.get("categories", {})
    rules = {}
    for cat in CATEGORIES:
        if cat not in tables:
            raise ValueError(f"plan.toml pola {name!r}: tabel [categories.{cat}] tidak ada")
        t = tables[cat]
        rules[cat] = CategoryRule(int(t["polri_per_post"]), int(t["tps_per_post"]), float(t["linmas_per_tps"]),
                                  int(t.get("tni_per_post", 0)))
    description = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    return Pattern(name, rules, _SOURCES.get(name, ""), description)


def scenario_patterns() -> dict[str, Pattern]:
    """Patterns introduced by the shipped scenarios, by name (for the preset list of the planner)."""
    patterns = [pattern_from_plan(plan_text(f), PATTERN_NAMES[f]) for f in PLAN_FILES]
    return {p.name: p for p in patterns}
