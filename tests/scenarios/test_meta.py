"""scenario.toml (meta_toml / scenario_from_meta) and the shipped plan.toml patterns."""

from __future__ import annotations

import pytest

from siaga.formats.records import Dataset
from siaga.scenarios import scenario_from_meta, scenario_patterns
from siaga.scenarios.plans import PATTERN_NAMES, PLAN_FILES, pattern_from_plan, plan_text


def test_meta_keeps_dates_shares_partners(kediri_kota):
    """Stage dates, fractional shares and partner contacts survive the TOML round trip exactly."""
    back = scenario_from_meta(kediri_kota.meta_toml(), Dataset())
    assert back.election == kediri_kota.election
    assert back.operation == kediri_kota.operation
    assert back.partners == kediri_kota.partners
    assert back.assumptions == kediri_kota.assumptions
    assert back.plan_toml == kediri_kota.plan_toml


def test_meta_plan_override(kediri_kota):
    """A plan.toml given to scenario_from_meta replaces the stored one."""
    assert scenario_from_meta(kediri_kota.meta_toml(), Dataset(), plan_toml="seed = 1\n").plan_toml == "seed = 1\n"


def test_partner_contacts_are_marked_synthetic(kediri_kota):
    """Partner phones use the 555 block and emails the reserved example.org domain; kinds are known."""
    assert kediri_kota.partners
    for p in kediri_kota.partners:
        assert "-555-" in p.phone and p.email.endswith("@example.org")
        assert p.regency_code in {"35.71", "35.06"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('kind = "pilkada"', 'kind = "pilpres"'), "kind"),
        (lambda t: t.replace('min_share = "2/3"', 'min_share = "dua pertiga"'), "min_share"),
        (lambda t: t.replace('min_share = "2/3"', 'min_share = "3/2"'), "min_share"),
        (lambda t: t.replace('kind = "kpu"', 'kind = "polisi"', 1), "kind"),
        (lambda t: t.replace("[operation]", "[operasi]"), "operation"),
        (lambda t: t + "\n[[[", "tidak valid"),
    ],
)
def test_bad_meta_is_refused(kediri_kota, edit, message):
    """A broken scenario.toml raises ValueError naming the key at fault."""
    with pytest.raises(ValueError, match=message):
        scenario_from_meta(edit(kediri_kota.meta_toml()), Dataset())


def test_shipped_patterns():
    """Every shipped plan.toml parses into a Pattern with the documented labels."""
    patterns = scenario_patterns()
    assert set(patterns) == {"kediri-kota-2024", "pilkades", "sintetis-pilkada-2024"}
    kk = patterns["kediri-kota-2024"].rules
    assert [kk[c].label for c in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")] == ["2-5-10", "2-2-4", "2-1-2", "2-1-2"]
    assert patterns["pilkades"].rules["kurang_rawan"].label == "1-1-2 +1 TNI"
    assert patterns["sintetis-pilkada-2024"].rules["rawan"].label == "2-6-12"
    for name in PLAN_FILES:
        assert pattern_from_plan(plan_text(name)).description


def test_plans_parse_with_the_planner_config(kediri_kota, kediri_pilkades):
    """Every shipped plan.toml is accepted by siaga.planning.config with the rules scenario_patterns() gives."""
    from siaga.planning.config import parse_plan_config

    patterns = scenario_patterns()
    for file_name, pattern_name in PATTERN_NAMES.items():
        config = parse_plan_config(plan_text(file_name), f"{file_name}.toml")
        assert config.pattern.rules == patterns[pattern_name].rules
        assert config.params.road_factor == 1.3 and config.params.reserve_squad_size == 10
    assert kediri_kota.plan_toml == plan_text("kediri-kota-2024")
    assert kediri_pilkades.plan_toml == plan_text("pilkades")


def test_unknown_plan_file():
    """Asking for a plan.toml that is not shipped names the shipped ones."""
    with pytest.raises(ValueError, match="pilkades"):
        plan_text("nope")
