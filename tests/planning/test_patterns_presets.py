"""Preset security patterns and the police-TPS-Linmas triple parser."""

from __future__ import annotations

import math

import pytest

from siaga.domain.vocab import CATEGORIES
from siaga.planning.patterns import PRESETS, CategoryRule, get_pattern, parse_triple


def staffing(rule: CategoryRule, tps: int) -> tuple[int, int, int]:
    """(posts, Polri, Linmas) for ``tps`` TPS of one category in full posts plus one remainder post."""
    full, rest = divmod(tps, rule.tps_per_post)
    sizes = [rule.tps_per_post] * full + ([rest] if rest else [])
    linmas = sum(math.ceil(rule.linmas_per_tps * n - 1e-9) for n in sizes)
    return len(sizes), rule.polri_per_post * len(sizes), linmas


def labels(name: str) -> dict[str, str]:
    return {cat: rule.label for cat, rule in get_pattern(name).rules.items()}


def test_every_preset_covers_all_categories_and_cites_a_source():
    """Each preset has a rule for each category, a name matching its key and a source."""
    for name, pattern in PRESETS.items():
        assert pattern.name == name
        assert set(pattern.rules) == set(CATEGORIES)
        assert pattern.source and pattern.description


def test_mabes_2019():
    """Mabes 2019: 2-4-6, 4-2-8, 6-2-8, khusus as sangat rawan; 2-4-6 is 1.5 Linmas per TPS."""
    assert labels("mabes-2019") == {"kurang_rawan": "2-4-6", "rawan": "4-2-8", "sangat_rawan": "6-2-8",
                                    "khusus": "6-2-8"}
    assert get_pattern("mabes-2019").rules["kurang_rawan"].linmas_per_tps == 1.5


def test_pilkada_2020():
    """Pilkada 2020: 2 police per 10 / 2 / 1 / 1 TPS, Linmas 2 per TPS as KPU's ketertiban officers."""
    pattern = get_pattern("pilkada-2020")
    assert [(r.polri_per_post, r.tps_per_post) for r in pattern.rules.values()] == [(2, 10), (2, 2), (2, 1), (2, 1)]
    assert all(r.linmas_per_tps == 2 for r in pattern.rules.values())
    assert "KPU" in pattern.description


def test_polda_jateng_2024():
    """Polda Jateng 2024: 2-4-8, rawan 2-6-12 as ordered, sangat rawan and khusus 2-1-2."""
    assert labels("polda-jateng-2024") == {"kurang_rawan": "2-4-8", "rawan": "2-6-12", "sangat_rawan": "2-1-2",
                                           "khusus": "2-1-2"}


def test_jakbar_2024_matches_the_reported_figures():
    """Jakarta Barat 2024: 7,169 TPS at 2-16-32 need 2*ceil(7169/16) = 898 Polri and 14,338 Linmas."""
    rule = get_pattern("jakbar-2024").rules["kurang_rawan"]
    assert all(r == rule for r in get_pattern("jakbar-2024").rules.values())
    posts, polri, linmas = staffing(rule, 7169)
    assert posts == math.ceil(7169 / 16) == 449
    assert polri == 898
    assert linmas == 14338


def test_pilkades():
    """Pilkades: 1 Polri and 1 TNI at each TPS, 2 Linmas per TPS."""
    for rule in get_pattern("pilkades").rules.values():
        assert (rule.polri_per_post, rule.tni_per_post, rule.tps_per_post, rule.linmas_per_tps) == (1, 1, 1, 2.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2-4-8", CategoryRule(2, 4, 2.0)),
        ("2:10:5", CategoryRule(2, 10, 0.5)),
        (" 4 - 2 - 8 ", CategoryRule(4, 2, 4.0)),
        ("1-1-2 +1 TNI", CategoryRule(1, 1, 2.0, tni_per_post=1)),
    ],
)
def test_parse_triple(text, expected):
    """Triples read as police-TPS-Linmas, Linmas per TPS = third / second."""
    assert parse_triple(text) == expected


def test_label_round_trips():
    """A rule's label parses back to the same rule."""
    for pattern in PRESETS.values():
        for rule in pattern.rules.values():
            assert parse_triple(rule.label) == rule


@pytest.mark.parametrize("text", ["2-4", "2-0-8", "a-b-c", "2-4-8-1", ""])
def test_parse_triple_rejects_nonsense(text):
    """Malformed triples and zero TPS per post are errors."""
    with pytest.raises(ValueError):
        parse_triple(text)


def test_get_pattern_lists_presets_on_error():
    """An unknown preset name is an error that lists the presets."""
    with pytest.raises(ValueError, match="mabes-2019.*pilkades"):
        get_pattern("polda-x")
