"""Shipped scenarios and generated synthetic areas, as siaga.formats Datasets plus metadata.

Pure library (no Django). The CLI ``siaga scenario list|load|export|generate`` and the database
loader call ``list_scenarios``, ``load_scenario``, ``generate_scenario`` and ``scenario_from_meta``.
Real: place names, Kemendagri codes, published totals and dates. Synthetic (and said so in each
scenario's ``assumptions``): coordinates, people, NRPs, per-village TPS counts, voters, indicators.
"""

from __future__ import annotations

from collections.abc import Callable

from siaga.scenarios import kediri_kota, kediri_pilkades, pekalongan_pilkades
from siaga.scenarios.model import (
    ElectionSpec,
    OperationSpec,
    PartnerSpec,
    Scenario,
    StageSpec,
    scenario_from_meta,
)
from siaga.scenarios.plans import scenario_patterns
from siaga.scenarios.synthetic import generate_scenario

__all__ = [
    "ElectionSpec", "OperationSpec", "PartnerSpec", "Scenario", "StageSpec",
    "generate_scenario", "list_scenarios", "load_scenario", "scenario_from_meta", "scenario_patterns",
]

_SHIPPED: dict[str, tuple[str, Callable[[], Scenario]]] = {
    kediri_kota.NAME: (kediri_kota.TITLE, kediri_kota.build),
    kediri_pilkades.NAME: (kediri_pilkades.TITLE, kediri_pilkades.build),
    pekalongan_pilkades.NAME: (pekalongan_pilkades.TITLE, pekalongan_pilkades.build),
}


def list_scenarios() -> list[tuple[str, str]]:
    """(name, title) of every shipped scenario."""
    return [(name, title) for name, (title, _) in _SHIPPED.items()]


def load_scenario(name: str) -> Scenario:
    """Build the shipped scenario ``name`` (deterministic: two loads are equal).

    ValueError naming the known scenarios when ``name`` is unknown.
    """
    try:
        _, build = _SHIPPED[name]
    except KeyError:
        raise ValueError(f"skenario tidak dikenal: {name!r}; pilihan: {', '.join(_SHIPPED)}") from None
    return build()
