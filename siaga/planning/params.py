"""Parameters of a plan, as read from ``plan.toml`` (every key has a documented default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class RiskParams:
    """Indicator weights (by indicator code; missing = catalogue default) and category thresholds."""

    weights: dict[str, float] = field(default_factory=dict)
    rawan: float = 40.0  # score from which a TPS is rawan
    sangat_rawan: float = 70.0  # score from which a TPS is sangat rawan


@dataclass(frozen=True, slots=True)
class PlanParams:
    post_scope: str = "village"  # "village" or "district": the area a post's TPS must share
    max_post_radius_km: float = 2.0  # largest distance from a post to any of its TPS
    reserve_squad_size: int = 10  # people per reserve squad
    road_factor: float = 1.3  # travel km = great-circle km x road_factor
    seed: int = 0
    voting_day_share: Fraction = Fraction(2, 3)  # least share of Polri strength deployed on voting day
    risk: RiskParams = field(default_factory=RiskParams)
