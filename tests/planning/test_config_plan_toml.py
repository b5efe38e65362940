"""plan.toml parsing: defaults, presets and tables, overrides, errors, and docs coverage."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from siaga.planning.catalogue import CATALOGUE
from siaga.planning.config import (
    DEFAULT_PATTERN,
    SETTINGS,
    ConfigError,
    load_plan_config,
    parse_plan_config,
    settings_markdown,
)
from siaga.planning.params import PlanParams
from siaga.planning.patterns import CategoryRule, get_pattern

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plan-toml.md"

DESIGN_EXAMPLE = """
pattern = "polda-jateng-2024"      # or the tables below
post_scope = "village"             # or "district"
max_post_radius_km = 2.0
reserve_squad_size = 10
road_factor = 1.3                  # travel km = great-circle km x road_factor
seed = 0
[categories.kurang_rawan]          # also rawan, sangat_rawan, khusus
polri_per_post = 2
tps_per_post = 4
linmas_per_tps = 2
tni_per_post = 0
[risk]                             # indicator weights and category thresholds
thresholds = { rawan = 40, sangat_rawan = 70 }
"""

FOUR_TABLES = "\n".join(
    f"[categories.{cat}]\npolri_per_post = 2\ntps_per_post = {n}\nlinmas_per_tps = 2\n"
    for cat, n in (("kurang_rawan", 5), ("rawan", 3), ("sangat_rawan", 1), ("khusus", 1))
)


def test_defaults_without_a_file():
    """No file: the default preset and PlanParams defaults."""
    config = load_plan_config(None)
    assert config.pattern == get_pattern(DEFAULT_PATTERN)
    assert config.params == PlanParams()


def test_design_example_parses():
    """The plan.toml example of design.md is valid; its table equals the preset's rule."""
    config = parse_plan_config(DESIGN_EXAMPLE, "plan.toml")
    assert config.pattern.rules["kurang_rawan"] == CategoryRule(2, 4, 2.0)
    assert config.pattern.rules["rawan"] == get_pattern("polda-jateng-2024").rules["rawan"]
    assert config.params.risk.rawan == 40 and config.params.risk.sangat_rawan == 70


def test_table_overrides_preset_rule_partially():
    """A category table overrides only the keys it names; the name shows the change."""
    config = parse_plan_config('pattern = "mabes-2019"\n[categories.rawan]\ntps_per_post = 1\n', "p.toml")
    assert config.pattern.rules["rawan"] == CategoryRule(4, 1, 4.0)
    assert config.pattern.rules["kurang_rawan"] == get_pattern("mabes-2019").rules["kurang_rawan"]
    assert config.pattern.name == "mabes-2019+custom"


def test_tables_without_preset_need_all_four():
    """Without a preset all four categories are required; with them the pattern is custom."""
    config = parse_plan_config(FOUR_TABLES, "p.toml")
    assert config.pattern.name == "custom"
    assert config.pattern.rules["kurang_rawan"] == CategoryRule(2, 5, 2.0)
    with pytest.raises(ConfigError, match="categories.khusus"):
        parse_plan_config(FOUR_TABLES.split("[categories.khusus]")[0], "p.toml")


def test_scalar_keys_and_overrides(tmp_path):
    """Every scalar key is read; CLI overrides win over the file."""
    path = tmp_path / "plan.toml"
    path.write_text('pattern = "jakbar-2024"\npost_scope = "district"\nmax_post_radius_km = 3.5\n'
                    'reserve_squad_size = 12\nroad_factor = 1.5\nseed = 7\nvoting_day_share = "3/4"\n'
                    '[risk.weights]\n"pilkada24.sara" = 50\npolri.riwayat_konflik = 60\n', encoding="utf-8")
    config = load_plan_config(path, pattern_override="pilkades", seed_override=11)
    p = config.params
    assert config.pattern.name == "pilkades"
    assert (p.post_scope, p.max_post_radius_km, p.reserve_squad_size, p.road_factor, p.seed) == (
        "district", 3.5, 12, 1.5, 11)
    assert p.voting_day_share == Fraction(3, 4)
    assert p.risk.weights == {"pilkada24.sara": 50.0, "polri.riwayat_konflik": 60.0}
    assert config.source == str(path)


def test_to_dict_is_the_params_block():
    """to_dict gives plan.json's params block with every rule labelled and every weight."""
    d = parse_plan_config('pattern = "polda-jateng-2024"\n[risk.weights]\n"pilkada24.sara" = 50\n', "p").to_dict()
    assert d["pattern"] == "polda-jateng-2024"
    assert d["rules"]["rawan"] == {"polri_per_post": 2, "tps_per_post": 6, "linmas_per_tps": 2.0,
                                   "tni_per_post": 0, "label": "2-6-12"}
    assert set(d) >= {"post_scope", "max_post_radius_km", "reserve_squad_size", "road_factor", "seed", "risk"}
    assert d["voting_day_share"] == "2/3"
    assert d["risk"]["thresholds"] == {"rawan": 40.0, "sangat_rawan": 70.0}
    assert set(d["risk"]["weights"]) == set(CATALOGUE)
    assert d["risk"]["weights"]["pilkada24.sara"] == 50.0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 1", "colour"),                                        # unknown key
        ("[categories.rawan]\nwarna = 1", "categories.rawan.warna"),      # unknown nested key
        ("[risk]\nlevel = 1", "risk.level"),
        ('seed = "0"', "seed"),                                          # wrong type
        ("seed = true", "seed"),
        ("seed = -1", "seed"),
        ("reserve_squad_size = 0", "reserve_squad_size"),
        ("road_factor = 0.5", "road_factor"),
        ("max_post_radius_km = 0", "max_post_radius_km"),
        ('post_scope = "kota"', "post_scope"),
        ('voting_day_share = "3/2"', "voting_day_share"),
        ('voting_day_share = "dua pertiga"', "voting_day_share"),
        ('pattern = "polda-x"', "pattern"),                              # unknown preset
        ('pattern = "mabes-2019"\n[categories.aman]\ntps_per_post = 2', "categories.aman"),   # bad category
        ('pattern = "mabes-2019"\n[categories.rawan]\ntps_per_post = 0', "categories.rawan.tps_per_post"),
        ('pattern = "mabes-2019"\n[categories.rawan]\nlinmas_per_tps = -1', "categories.rawan.linmas_per_tps"),
        ('[risk.weights]\n"pilkada24.tidak_ada" = 1', "pilkada24.tidak_ada"),  # unknown indicator
        ('[risk.weights]\n"pilkada24.sara" = -5', "pilkada24.sara"),
        ("[risk]\nthresholds = { rawan = 80 }", "risk.thresholds"),       # thresholds out of order
        ("[risk]\nthresholds = { rawan = 50, sangat_rawan = 50 }", "risk.thresholds"),
        ("[risk]\nthresholds = { sangat_rawan = 120 }", "risk.thresholds.sangat_rawan"),
    ],
)
def test_errors_name_file_key_and_value(text, key):
    """Each bad key or value is a ConfigError naming the file and the key."""
    with pytest.raises(ConfigError) as info:
        parse_plan_config(text, "ops/plan.toml")
    message = str(info.value)
    assert message.startswith("ops/plan.toml: ")
    assert key in message


def test_invalid_toml_and_unreadable_file(tmp_path):
    """Broken TOML, a missing file and non-UTF-8 bytes are ConfigErrors naming the file."""
    with pytest.raises(ConfigError, match="p.toml: TOML tidak valid"):
        parse_plan_config("seed = ", "p.toml")
    missing = tmp_path / "none.toml"
    with pytest.raises(ConfigError, match="none.toml"):
        load_plan_config(missing)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'post_scope = "\xe9"\n')
    with pytest.raises(ConfigError, match="latin.toml"):
        load_plan_config(latin)


def test_every_setting_is_documented():
    """docs/plan-toml.md mentions every key of SETTINGS in backticks."""
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([^`]+)`", text))
    missing = [s.key for s in SETTINGS if s.key not in documented]
    assert not missing, f"undocumented plan.toml keys: {missing}"


def test_settings_table_lists_every_top_level_key():
    """The generated settings table has a row per setting, and SETTINGS covers all parsed top-level keys."""
    table = settings_markdown()
    assert table.count("\n| `") == len(SETTINGS)
    tops = {s.key.split(".")[0] for s in SETTINGS}
    assert tops == {"pattern", "pattern_name", "categories", "post_scope", "max_post_radius_km", "reserve_squad_size",
                    "road_factor", "seed", "voting_day_share", "risk"}


def test_pattern_name_labels_a_custom_pattern():
    """`pattern_name` names a pattern written as tables; a --pattern override ignores it."""
    text = 'pattern_name = "kediri-kota-2024"\npattern = "jakbar-2024"\n'
    assert parse_plan_config(text, "plan.toml").pattern.name == "kediri-kota-2024"
    assert parse_plan_config(text, "plan.toml", pattern_override="pilkades").pattern.name == "pilkades"
    with pytest.raises(ConfigError, match="pattern_name"):
        parse_plan_config('pattern_name = ""\n', "plan.toml")
