"""``plan.toml``: the planner's settings, each declared once in :data:`SETTINGS` with its default.

A preset pattern can be named (``pattern = "polda-jateng-2024"``) and ``[categories.<cat>]`` tables
override its rules per category; without a preset all four category tables are needed. Errors
name the file, the key and the value and leave nothing half-read. docs/plan-toml.md documents
every key of SETTINGS (a test holds it to that).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from siaga.domain.vocab import CATEGORIES
from siaga.planning.catalogue import CATALOGUE
from siaga.planning.params import PlanParams, RiskParams
from siaga.planning.patterns import PRESETS, CategoryRule, Pattern, get_pattern

DEFAULT_PATTERN = "mabes-2019"
POST_SCOPES = ("village", "district")
RULE_KEYS = ("polri_per_post", "tps_per_post", "linmas_per_tps", "tni_per_post")
_P = PlanParams()


class ConfigError(ValueError):
    """A plan.toml problem, naming the file, the key and the value."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One plan.toml key: its TOML type, default and meaning (English, for docs/plan-toml.md)."""

    key: str
    type: str
    default: Any
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("pattern", "string", DEFAULT_PATTERN,
            f"Preset security pattern: one of {', '.join(PRESETS)}. Used alone when no [categories] table is given."),
    Setting("pattern_name", "string", "the preset's name; \"custom\" for tables alone",
            "Name shown in plan.json and the reports for a pattern written as [categories] tables (e.g. \"kediri-kota-2024\")."),
    Setting("categories.<category>.polri_per_post", "integer >= 0", "from the pattern",
            "Polri per post for this category (kurang_rawan, rawan, sangat_rawan, khusus); one must be able to lead."),
    Setting("categories.<category>.tps_per_post", "integer >= 1", "from the pattern",
            "Most TPS one post of this category may hold."),
    Setting("categories.<category>.linmas_per_tps", "number >= 0", "from the pattern",
            "Linmas per TPS; a post needs ceil(linmas_per_tps x its TPS). 2-4-6 is 1.5."),
    Setting("categories.<category>.tni_per_post", "integer >= 0", "from the pattern, else 0",
            "TNI per post for this category."),
    Setting("post_scope", "string", _P.post_scope,
            "Area whose TPS a post may group: \"village\" (desa/kelurahan) or \"district\" (kecamatan)."),
    Setting("max_post_radius_km", "number > 0", _P.max_post_radius_km,
            "Largest distance in km from a post to any of its TPS."),
    Setting("reserve_squad_size", "integer >= 1", _P.reserve_squad_size, "People per reserve squad."),
    Setting("road_factor", "number >= 1", _P.road_factor,
            "Travel km = great-circle km x road_factor (used for travel, reserve cover and the police-distance indicator)."),
    Setting("seed", "integer >= 0", _P.seed, "Seed of every random choice; the same input and seed give the same plan."),
    Setting("voting_day_share", "string \"a/b\" or number in (0, 1]", str(_P.voting_day_share),
            "Least share of Polri strength deployed on voting day (Kapolri telegram STR/387/VI/OPS.1.3./2020)."),
    Setting("risk.thresholds.rawan", "number in [0, 100]", _P.risk.rawan, "Score from which a TPS is rawan."),
    Setting("risk.thresholds.sangat_rawan", "number in [0, 100]", _P.risk.sangat_rawan,
            "Score from which a TPS is sangat rawan; must be above rawan."),
    Setting("risk.weights.<indicator code>", "number >= 0", "the catalogue weight",
            "Points (of 100) an indicator adds at full strength; codes in docs/risk.md. Quote dotted codes."),
)


@dataclass(frozen=True, slots=True)
class PlanConfig:
    """The effective configuration: the pattern and the plan parameters."""

    pattern: Pattern
    params: PlanParams
    source: str = "(bawaan)"

    def to_dict(self) -> dict[str, Any]:
        """The ``params`` block of plan.json (effective values, every weight included)."""
        weights = {code: ind.weight for code, ind in CATALOGUE.items()}
        weights.update(self.params.risk.weights)
        rules = {}
        for cat in CATEGORIES:
            rule = self.pattern.rules[cat]
            rules[cat] = {
                "polri_per_post": rule.polri_per_post, "tps_per_post": rule.tps_per_post,
                "linmas_per_tps": float(rule.linmas_per_tps), "tni_per_post": rule.tni_per_post,
                "label": rule.label,
            }
        p = self.params
        return {
            "pattern": self.pattern.name,
            "rules": rules,
            "post_scope": p.post_scope,
            "max_post_radius_km": p.max_post_radius_km,
            "reserve_squad_size": p.reserve_squad_size,
            "road_factor": p.road_factor,
            "seed": p.seed,
            "voting_day_share": f"{p.voting_day_share.numerator}/{p.voting_day_share.denominator}",
            "risk": {"thresholds": {"rawan": p.risk.rawan, "sangat_rawan": p.risk.sangat_rawan}, "weights": weights},
        }


class _Reader:
    """Checks values of one file, raising ConfigError with the file, key and value."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, value: Any, problem: str) -> ConfigError:
        shown = " tidak ada" if value is None else f" = {_show(value)}"
        return ConfigError(f"{self.source}: kunci `{key}`{shown}: {problem}")

    def table(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, value, "harus berupa tabel")
        return value

    def integer(self, key: str, value: Any, least: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, value, "harus bilangan bulat")
        if value < least:
            raise self.fail(key, value, f"minimal {least}")
        return value

    def number(self, key: str, value: Any, ok: Callable[[float], bool], rule: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(key, value, "harus angka")
        if not ok(float(value)):
            raise self.fail(key, value, f"harus {rule}")
        return float(value)

    def choice(self, key: str, value: Any, choices: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(key, value, f"pilihan: {', '.join(choices)}")
        return value

    def fraction(self, key: str, value: Any) -> Fraction:
        try:
            if isinstance(value, bool):
                raise ValueError
            frac = Fraction(value) if isinstance(value, str) else Fraction(str(value))
        except (ValueError, TypeError, ZeroDivisionError):
            raise self.fail(key, value, 'harus pecahan seperti "2/3" atau angka') from None
        if not 0 < frac <= 1:
            raise self.fail(key, value, "harus di atas 0 dan paling besar 1")
        return frac


def _show(value: Any) -> str:
    """A value as written in TOML, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + " }"
    return repr(value)


def _flatten(prefix: str, table: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys written without quotes arrive as nested tables; join them back into codes."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        out.update(_flatten(full, value) if isinstance(value, dict) else {full: value})
    return out


def _rule(r: _Reader, cat: str, table: dict[str, Any], base: CategoryRule | None) -> CategoryRule:
    values: dict[str, Any] = {}
    for key in RULE_KEYS:
        full = f"categories.{cat}.{key}"
        if key in table:
            if key == "linmas_per_tps":
                values[key] = r.number(full, table[key], lambda x: x >= 0, ">= 0")
            else:
                values[key] = r.integer(full, table[key], 1 if key == "tps_per_post" else 0)
        elif base is not None:
            values[key] = getattr(base, key)
        elif key == "tni_per_post":
            values[key] = 0
        else:
            raise r.fail(full, None, "wajib diisi bila tidak ada `pattern`")
    return CategoryRule(**values)


def _pattern(r: _Reader, data: dict[str, Any], pattern_override: str | None) -> Pattern:
    name = pattern_override if pattern_override is not None else data.get("pattern")
    # A preset chosen on the command line replaces the whole pattern, tables of the file included.
    tables = {} if pattern_override is not None else r.table("categories", data.get("categories", {}))
    if name is None and not tables:
        name = DEFAULT_PATTERN
    base: Pattern | None = None
    if name is not None:
        if not isinstance(name, str) or name not in PRESETS:
            raise r.fail("pattern", name, f"pola tidak dikenal; pilihan: {', '.join(PRESETS)}")
        base = get_pattern(name)
    for cat, table in tables.items():
        if cat not in CATEGORIES:
            raise r.fail(f"categories.{cat}", table, f"kategori tidak dikenal; pilihan: {', '.join(CATEGORIES)}")
        for key, value in r.table(f"categories.{cat}", table).items():
            if key not in RULE_KEYS:
                raise r.fail(f"categories.{cat}.{key}", value, f"kunci tidak dikenal; pilihan: {', '.join(RULE_KEYS)}")
    if base is None:
        missing = [cat for cat in CATEGORIES if cat not in tables]
        if missing:
            raise r.fail(f"categories.{missing[0]}", None, "tanpa `pattern`, keempat kategori wajib ada")
    rules: dict[str, CategoryRule] = {}
    for cat in CATEGORIES:
        base_rule = base.rules[cat] if base else None
        if cat in tables:
            rules[cat] = _rule(r, cat, tables[cat], base_rule)
        elif base_rule is not None:
            rules[cat] = base_rule
    if base is None:
        return Pattern("custom", rules, "plan.toml", "Pola dari tabel [categories] plan.toml.")
    if not tables:
        return base
    changed = ", ".join(sorted(tables))
    return Pattern(f"{base.name}+custom", rules, base.source, f"{base.description} Diubah di plan.toml: {changed}.")


def _risk(r: _Reader, data: dict[str, Any]) -> RiskParams:
    risk = r.table("risk", data.get("risk", {}))
    for key in risk:
        if key not in ("thresholds", "weights"):
            raise r.fail(f"risk.{key}", risk[key], "kunci tidak dikenal; pilihan: thresholds, weights")
    thresholds = r.table("risk.thresholds", risk.get("thresholds", {}))
    limits = {"rawan": _P.risk.rawan, "sangat_rawan": _P.risk.sangat_rawan}
    for key, value in thresholds.items():
        if key not in limits:
            raise r.fail(f"risk.thresholds.{key}", value, "kunci tidak dikenal; pilihan: rawan, sangat_rawan")
        limits[key] = r.number(f"risk.thresholds.{key}", value, lambda x: 0 <= x <= 100, "di antara 0 dan 100")
    if not limits["rawan"] < limits["sangat_rawan"]:
        raise r.fail(
            "risk.thresholds", thresholds,
            f"ambang rawan ({limits['rawan']:g}) harus lebih kecil dari sangat_rawan ({limits['sangat_rawan']:g})",
        )
    weights = {}
    for code, value in _flatten("", r.table("risk.weights", risk.get("weights", {}))).items():
        key = f'risk.weights."{code}"'
        if code not in CATALOGUE:
            raise r.fail(key, value, "kode indikator tidak dikenal (lihat docs/risk.md)")
        weights[code] = r.number(key, value, lambda x: x >= 0, ">= 0")
    return RiskParams(weights=weights, rawan=limits["rawan"], sangat_rawan=limits["sangat_rawan"])


_TOP_KEYS = tuple(dict.fromkeys(s.key.split(".")[0] for s in SETTINGS))


def parse_plan_config(
    text: str, source: str = "plan.toml", *, pattern_override: str | None = None, seed_override: int | None = None
) -> PlanConfig:
    """Parse plan.toml text; ``source`` names the file in errors. Overrides win over the file's keys."""
    r = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: TOML tidak valid: {exc}") from None
    for key in data:
        if key not in _TOP_KEYS:
            raise r.fail(key, data[key], f"kunci tidak dikenal; pilihan: {', '.join(_TOP_KEYS)}")
    pattern = _pattern(r, data, pattern_override)
    if "pattern_name" in data and pattern_override is None:
        label = data["pattern_name"]
        if not isinstance(label, str) or not label.strip():
            raise r.fail("pattern_name", label, "harus berupa teks yang tidak kosong")
        pattern = Pattern(label.strip(), pattern.rules, pattern.source, pattern.description)
    params = _P
    if "post_scope" in data:
        params = replace(params, post_scope=r.choice("post_scope", data["post_scope"], POST_SCOPES))
    if "max_post_radius_km" in data:
        radius = r.number("max_post_radius_km", data["max_post_radius_km"], lambda x: x > 0, "> 0")
        params = replace(params, max_post_radius_km=radius)
    if "reserve_squad_size" in data:
        params = replace(params, reserve_squad_size=r.integer("reserve_squad_size", data["reserve_squad_size"], 1))
    if "road_factor" in data:
        params = replace(params, road_factor=r.number("road_factor", data["road_factor"], lambda x: x >= 1, ">= 1"))
    if "seed" in data:
        params = replace(params, seed=r.integer("seed", data["seed"], 0))
    if seed_override is not None:
        params = replace(params, seed=r.integer("seed", seed_override, 0))
    if "voting_day_share" in data:
        params = replace(params, voting_day_share=r.fraction("voting_day_share", data["voting_day_share"]))
    params = replace(params, risk=_risk(r, data))
    return PlanConfig(pattern=pattern, params=params, source=source)


def load_plan_config(
    path: Path | None, *, pattern_override: str | None = None, seed_override: int | None = None
) -> PlanConfig:
    """Read plan.toml at ``path`` (None: every default). ConfigError names the file on any problem."""
    if path is None:
        return parse_plan_config("", "(bawaan)", pattern_override=pattern_override, seed_override=seed_override)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: tidak dapat dibaca: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: bukan teks UTF-8") from None
    return parse_plan_config(text, str(path), pattern_override=pattern_override, seed_override=seed_override)


def settings_markdown() -> str:
    """SETTINGS as a Markdown table (the source of the table in docs/plan-toml.md)."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = s.default if "<" in s.key else f"`{s.default}`"  # per-category/code defaults are prose
        lines.append(f"| `{s.key}` | {s.type} | {default} | {s.meaning} |")
    return "\n".join(lines)
