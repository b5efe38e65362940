"""Security patterns (pola pengamanan): police – TPS – Linmas per vulnerability category."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Staffing of one post of a category: ``polri_per_post`` police guard up to ``tps_per_post`` TPS."""

    polri_per_post: int
    tps_per_post: int
    linmas_per_tps: float
    tni_per_post: int = 0

    def __post_init__(self) -> None:
        if self.polri_per_post < 0 or self.tni_per_post < 0 or self.linmas_per_tps < 0:
            raise ValueError("staffing numbers must not be negative")
        if self.tps_per_post < 1:
            raise ValueError("tps_per_post must be at least 1")

    @property
    def label(self) -> str:
        """The rule as police-TPS-Linmas, e.g. ``2-4-8``."""
        linmas = self.linmas_per_tps * self.tps_per_post
        linmas_text = f"{linmas:g}"
        text = f"{self.polri_per_post}-{self.tps_per_post}-{linmas_text}"
        return text + (f" +{self.tni_per_post} TNI" if self.tni_per_post else "")


@dataclass(frozen=True, slots=True)
class Pattern:
    """A named pattern: one rule per category (kurang_rawan, rawan, sangat_rawan, khusus)."""

    name: str
    rules: dict[str, CategoryRule]
    source: str = ""
    description: str = field(default="", compare=False)
