"""Election stages of the shipped scenarios and synthetic partner contacts.

Pilkada 2024 dates are PKPU 2/2024 (domain brief section 3); minimum shares come from
siaga.domain.stages (Kapolri telegram STR/387/VI/OPS.1.3./2020).
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import numpy as np

from siaga.domain.stages import STAGE_SHARES
from siaga.scenarios.model import PartnerSpec, StageSpec
from siaga.scenarios.people import FEMALE_NAMES, MALE_NAMES

_SHARE = {code: share for code, _, _, share in STAGE_SHARES}
_NAME = {code: name for code, name, _, _ in STAGE_SHARES}


def stage(code: str, start: date, end: date, name: str | None = None, share: Fraction | None = None) -> StageSpec:
    """A stage with the table's Indonesian name and minimum share unless given."""
    if share is None and code not in _SHARE:
        raise ValueError(f"tahapan {code!r} tidak ada di tabel porsi kekuatan; beri porsinya")
    return StageSpec(code, name or _NAME[code], start, end, share if share is not None else _SHARE[code])


def pilkada_2024_stages() -> tuple[StageSpec, ...]:
    """The Pilkada 2024 stages that have a published date (PKPU 2/2024) and a share in the table."""
    return (
        stage("registration", date(2024, 8, 27), date(2024, 8, 29)),
        stage("designation", date(2024, 9, 22), date(2024, 9, 23)),
        stage("campaign", date(2024, 9, 25), date(2024, 11, 23)),
        stage("quiet", date(2024, 11, 24), date(2024, 11, 26)),
        stage("voting", date(2024, 11, 27), date(2024, 11, 27)),
        stage("counting", date(2024, 11, 27), date(2024, 12, 16)),
    )


def pilkades_stages(voting_day: date, preparation_start: date, nomination_start: date,
                    result_end: date) -> tuple[StageSpec, ...]:
    """The four Pilkades stages of PP 43/2014 (persiapan, pencalonan, pemungutan suara, penetapan).

    Pencalonan maps to the registration share, pemungutan suara to voting, penetapan to winners;
    persiapan has no row in the table and gets the lowest share there (1/6), an assumption.
    """
    day = timedelta(days=1)
    return (
        stage("preparation", preparation_start, nomination_start - day, "Persiapan", Fraction(1, 6)),
        stage("registration", nomination_start, voting_day - day, "Pencalonan (termasuk kampanye dan masa tenang)"),
        stage("voting", voting_day, voting_day, "Pemungutan dan penghitungan suara"),
        stage("winners", voting_day + day, result_end, "Penetapan calon terpilih"),
    )


def partners(rows: list[tuple[str, str, str]], area_code: str, seed: int) -> tuple[PartnerSpec, ...]:
    """Partner agencies (real agency names) with SYNTHETIC contact persons, phones and emails.

    ``rows`` are (name, kind, regency_code). Phones use the 555 block and emails the reserved
    example.org domain so nobody mistakes them for real contacts.
    """
    rng = np.random.default_rng(seed)
    out = []
    for i, (name, kind, regency) in enumerate(rows):
        pool = FEMALE_NAMES if rng.random() < 0.35 else MALE_NAMES
        contact = pool[int(rng.integers(0, len(pool)))]
        handle = "-".join(name.lower().replace("/", " ").split())
        out.append(PartnerSpec(name, kind, regency, contact, f"{area_code}-555-{100 + i:04d}",
                               f"{handle}@example.org"))
    return tuple(out)
