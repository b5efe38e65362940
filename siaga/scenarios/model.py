"""Scenario metadata (election, stages, operation, partners) and its TOML form (``scenario.toml``).

A scenario is a Dataset plus what the planner and the database need around it: the election and
its stages with their minimum strength shares, the police operation, the partner agencies and the
list of assumptions (everything invented is said here, since the data is partly synthetic).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from siaga.domain.vocab import ELECTION_KINDS, PARTNER_KINDS
from siaga.formats.records import Dataset


@dataclass(frozen=True)
class StageSpec:
    """One election stage (tahapan) with the least share of operation strength it needs."""

    code: str
    name: str
    start: date
    end: date
    min_share: Fraction


@dataclass(frozen=True)
class ElectionSpec:
    """The election the scenario secures; ``regencies`` are (code "35.71", name "Kota Kediri")."""

    name: str
    kind: str  # pilkades | pilkada | pemilu
    voting_day: date
    regencies: tuple[tuple[str, str], ...]
    stages: tuple[StageSpec, ...]


@dataclass(frozen=True)
class OperationSpec:
    """The police operation (operasi) that covers the election."""

    name: str
    start: date
    end: date
    commanding_unit_id: str


@dataclass(frozen=True)
class PartnerSpec:
    """A partner agency with read-only access (KPU, Bawaslu, Pemda ...); contacts are synthetic."""

    name: str
    kind: str  # siaga.domain.vocab.PARTNER_KINDS
    regency_code: str
    contact_name: str
    phone: str
    email: str


@dataclass
class Scenario:
    """A shipped or generated area: planning data plus election/operation metadata."""

    name: str
    title: str
    description: str
    election: ElectionSpec
    operation: OperationSpec
    partners: tuple[PartnerSpec, ...]
    dataset: Dataset
    plan_toml: str
    assumptions: tuple[str, ...]
    synthetic: bool

    def meta_toml(self) -> str:
        """Election, stages, operation, partners and assumptions as TOML (``scenario.toml``)."""
        return meta_to_toml(self)


# --- TOML writing -----------------------------------------------------------------------------

def _s(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(text, ensure_ascii=False)


def _multiline_literal(text: str) -> str:
    if "'''" in text:
        return _s(text)
    return "'''\n" + text + "'''"


def meta_to_toml(scenario: Scenario) -> str:
    """Write the scenario's metadata as TOML; ``scenario_from_meta`` reads it back."""
    e, op = scenario.election, scenario.operation
    lines = [
        "# Siaga scenario metadata (scenario.toml). Read back with siaga.scenarios.scenario_from_meta.",
        "[scenario]",
        f"name = {_s(scenario.name)}",
        f"title = {_s(scenario.title)}",
        f"description = {_s(scenario.description)}",
        f"synthetic = {'true' if scenario.synthetic else 'false'}",
        "assumptions = [",
        *[f"  {_s(a)}," for a in scenario.assumptions],
        "]",
        "",
        "[election]",
        f"name = {_s(e.name)}",
        f"kind = {_s(e.kind)}",
        f"voting_day = {e.voting_day.isoformat()}",
        "regencies = [",
        *[f"  [{_s(code)}, {_s(name)}]," for code, name in e.regencies],
        "]",
        "",
    ]
    for st in e.stages:
        lines += [
            "[[election.stages]]",
            f"code = {_s(st.code)}",
            f"name = {_s(st.name)}",
            f"start = {st.start.isoformat()}",
            f"end = {st.end.isoformat()}",
            f"min_share = {_s(str(st.min_share))}",
            "",
        ]
    lines += [
        "[operation]",
        f"name = {_s(op.name)}",
        f"start = {op.start.isoformat()}",
        f"end = {op.end.isoformat()}",
        f"commanding_unit_id = {_s(op.commanding_unit_id)}",
        "",
    ]
    for p in scenario.partners:
        lines += [
            "[[partners]]",
            f"name = {_s(p.name)}",
            f"kind = {_s(p.kind)}",
            f"regency_code = {_s(p.regency_code)}",
            f"contact_name = {_s(p.contact_name)}",
            f"phone = {_s(p.phone)}",
            f"email = {_s(p.email)}",
            "",
        ]
    lines += ["[plan]", f"toml = {_multiline_literal(scenario.plan_toml)}", ""]
    return "\n".join(lines)


# --- TOML reading -----------------------------------------------------------------------------

def _need(table: dict, key: str, where: str, kind: type | tuple[type, ...]) -> object:
    if key not in table:
        raise ValueError(f"scenario.toml: kunci '{key}' tidak ada di [{where}]")
    value = table[key]
    if not isinstance(value, kind):
        raise ValueError(f"scenario.toml: [{where}] {key} = {value!r} bukan tipe yang benar")
    return value


def _share(text: object, where: str) -> Fraction:
    try:
        share = Fraction(str(text))
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"scenario.toml: [{where}] min_share = {text!r} bukan pecahan (mis. \"2/3\")") from exc
    if not 0 <= share <= 1:
        raise ValueError(f"scenario.toml: [{where}] min_share = {text!r} harus antara 0 dan 1")
    return share


def scenario_from_meta(meta_toml: str, dataset: Dataset, plan_toml: str | None = None) -> Scenario:
    """Rebuild a Scenario from ``meta_toml`` (as written by ``Scenario.meta_toml``) and its data.

    ``plan_toml`` overrides the plan text stored in the metadata (an exported directory has both).
    """
    try:
        doc = tomllib.loads(meta_toml)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"scenario.toml tidak valid: {exc}") from exc
    sc = _need(doc, "scenario", "root", dict)
    el = _need(doc, "election", "root", dict)
    op = _need(doc, "operation", "root", dict)
    kind = _need(el, "kind", "election", str)
    if kind not in ELECTION_KINDS:
        raise ValueError(f"scenario.toml: [election] kind = {kind!r}; pilihan: {', '.join(ELECTION_KINDS)}")
    stages = []
    for i, st in enumerate(el.get("stages", []), 1):
        where = f"election.stages #{i}"
        start, end = _need(st, "start", where, date), _need(st, "end", where, date)
        if end < start:
            raise ValueError(f"scenario.toml: [{where}] end {end} sebelum start {start}")
        stages.append(StageSpec(_need(st, "code", where, str), _need(st, "name", where, str), start, end,
                                _share(_need(st, "min_share", where, (str, int, float)), where)))
    regencies = []
    for pair in _need(el, "regencies", "election", list):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise ValueError(f"scenario.toml: [election] regencies berisi {pair!r}; harus [kode, nama]")
        regencies.append((pair[0], pair[1]))
    election = ElectionSpec(_need(el, "name", "election", str), kind, _need(el, "voting_day", "election", date),
                            tuple(regencies), tuple(stages))
    operation = OperationSpec(_need(op, "name", "operation", str), _need(op, "start", "operation", date),
                              _need(op, "end", "operation", date), _need(op, "commanding_unit_id", "operation", str))
    partners = []
    for i, p in enumerate(doc.get("partners", []), 1):
        where = f"partners #{i}"
        pkind = _need(p, "kind", where, str)
        if pkind not in PARTNER_KINDS:
            raise ValueError(f"scenario.toml: [{where}] kind = {pkind!r}; pilihan: {', '.join(PARTNER_KINDS)}")
        partners.append(PartnerSpec(_need(p, "name", where, str), pkind, _need(p, "regency_code", where, str),
                                    _need(p, "contact_name", where, str), _need(p, "phone", where, str),
                                    _need(p, "email", where, str)))
    if plan_toml is None:
        plan_toml = str(doc.get("plan", {}).get("toml", ""))
    return Scenario(
        name=_need(sc, "name", "scenario", str),
        title=_need(sc, "title", "scenario", str),
        description=_need(sc, "description", "scenario", str),
        election=election,
        operation=operation,
        partners=tuple(partners),
        dataset=dataset,
        plan_toml=plan_toml,
        assumptions=tuple(_need(sc, "assumptions", "scenario", list)),
        synthetic=bool(_need(sc, "synthetic", "scenario", bool)),
    )
