"""Ordered rank tables of Polri and TNI (Angkatan Darat names), lowest first.

Each rank has a short code as written in rosters (e.g. ``Bripka``) and its full name. The order
matters: ``can_lead`` is derived from it when a roster does not say who can command a post.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Rank:
    code: str
    name: str
    force: str
    order: int
    group: str  # tamtama, bintara, perwira_pertama, perwira_menengah, perwira_tinggi


def _table(force: str, rows: list[tuple[str, str, str]]) -> tuple[Rank, ...]:
    return tuple(Rank(code, name, force, order, group) for order, (code, name, group) in enumerate(rows, 1))


POLRI_RANKS = _table(
    "polri",
    [
        ("Bharada", "Bhayangkara Dua", "tamtama"),
        ("Bharatu", "Bhayangkara Satu", "tamtama"),
        ("Bharaka", "Bhayangkara Kepala", "tamtama"),
        ("Abripda", "Ajun Brigadir Polisi Dua", "tamtama"),
        ("Abriptu", "Ajun Brigadir Polisi Satu", "tamtama"),
        ("Abrip", "Ajun Brigadir Polisi", "tamtama"),
        ("Bripda", "Brigadir Polisi Dua", "bintara"),
        ("Briptu", "Brigadir Polisi Satu", "bintara"),
        ("Brigpol", "Brigadir Polisi", "bintara"),
        ("Bripka", "Brigadir Polisi Kepala", "bintara"),
        ("Aipda", "Ajun Inspektur Polisi Dua", "bintara"),
        ("Aiptu", "Ajun Inspektur Polisi Satu", "bintara"),
        ("Ipda", "Inspektur Polisi Dua", "perwira_pertama"),
        ("Iptu", "Inspektur Polisi Satu", "perwira_pertama"),
        ("AKP", "Ajun Komisaris Polisi", "perwira_pertama"),
        ("Kompol", "Komisaris Polisi", "perwira_menengah"),
        ("AKBP", "Ajun Komisaris Besar Polisi", "perwira_menengah"),
        ("Kombes", "Komisaris Besar Polisi", "perwira_menengah"),
        ("Brigjen", "Brigadir Jenderal Polisi", "perwira_tinggi"),
        ("Irjen", "Inspektur Jenderal Polisi", "perwira_tinggi"),
        ("Komjen", "Komisaris Jenderal Polisi", "perwira_tinggi"),
        ("Jenderal", "Jenderal Polisi", "perwira_tinggi"),
    ],
)

TNI_RANKS = _table(
    "tni",
    [
        ("Prada", "Prajurit Dua", "tamtama"),
        ("Pratu", "Prajurit Satu", "tamtama"),
        ("Praka", "Prajurit Kepala", "tamtama"),
        ("Kopda", "Kopral Dua", "tamtama"),
        ("Koptu", "Kopral Satu", "tamtama"),
        ("Kopka", "Kopral Kepala", "tamtama"),
        ("Serda", "Sersan Dua", "bintara"),
        ("Sertu", "Sersan Satu", "bintara"),
        ("Serka", "Sersan Kepala", "bintara"),
        ("Serma", "Sersan Mayor", "bintara"),
        ("Pelda", "Pembantu Letnan Dua", "bintara"),
        ("Peltu", "Pembantu Letnan Satu", "bintara"),
        ("Letda", "Letnan Dua", "perwira_pertama"),
        ("Lettu", "Letnan Satu", "perwira_pertama"),
        ("Kapten", "Kapten", "perwira_pertama"),
        ("Mayor", "Mayor", "perwira_menengah"),
        ("Letkol", "Letnan Kolonel", "perwira_menengah"),
        ("Kolonel", "Kolonel", "perwira_menengah"),
        ("Brigjen TNI", "Brigadir Jenderal TNI", "perwira_tinggi"),
        ("Mayjen", "Mayor Jenderal TNI", "perwira_tinggi"),
        ("Letjen", "Letnan Jenderal TNI", "perwira_tinggi"),
        ("Jenderal TNI", "Jenderal TNI", "perwira_tinggi"),
    ],
)

# Linmas members carry no military or police rank; rosters write this (or leave rank empty).
LINMAS_RANKS = _table("linmas", [("Anggota", "Anggota Satlinmas", "anggota"), ("Danton", "Komandan Regu/Peleton Linmas", "anggota")])

RANKS_BY_FORCE: dict[str, tuple[Rank, ...]] = {"polri": POLRI_RANKS, "tni": TNI_RANKS, "linmas": LINMAS_RANKS}

# A Polri member from Brigadir Polisi (Brigpol) up may command a TPS post; TNI from Sersan Dua.
LEAD_FROM: dict[str, str] = {"polri": "Brigpol", "tni": "Serda", "linmas": "Danton"}


# Spellings rosters use that are neither a code nor a full name above.
RANK_ALIASES: dict[tuple[str, str], str] = {
    ("polri", "brigadir"): "Brigpol",
    ("tni", "brigjen"): "Brigjen TNI",
    ("tni", "jenderal"): "Jenderal TNI",
}


@lru_cache(maxsize=512)
def find_rank(force: str, text: str) -> Rank | None:
    """Look a rank up by code, full name or a known roster spelling, ignoring case, dots and spaces."""
    key = _norm(text)
    key = _norm(RANK_ALIASES.get((force, key), key))
    for rank in RANKS_BY_FORCE.get(force, ()):
        if key in (_norm(rank.code), _norm(rank.name)):
            return rank
    return None


def default_can_lead(force: str, rank: Rank | None) -> bool:
    """Whether a person of this rank may command a post when the roster does not say."""
    if rank is None:
        return False
    threshold = find_rank(force, LEAD_FROM[force])
    return threshold is not None and rank.order >= threshold.order


def rank_codes(force: str) -> list[str]:
    return [r.code for r in RANKS_BY_FORCE.get(force, ())]


def _norm(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).casefold()
