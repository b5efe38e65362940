"""Writes of the elections app."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from siaga.domain.stages import STAGE_SHARES
from siaga.elections.models import Election, Stage

DEFAULT_SHARES: dict[str, Fraction] = {code: share for code, _, _, share in STAGE_SHARES}
FALLBACK_SHARE = Fraction(1, 3)


def stage_upsert(*, election: Election, code: str, name: str, start: dt.date, end: dt.date,
                 min_share: Fraction | None = None) -> Stage:
    """Create or update a stage. Without ``min_share`` the default of the Kapolri telegram table
    (siaga.domain.stages) for that stage code applies, else 1/3."""
    share = min_share if min_share is not None else DEFAULT_SHARES.get(code, FALLBACK_SHARE)
    stage, _ = Stage.objects.update_or_create(
        election=election, code=code,
        defaults={"name": name, "start": start, "end": end, "min_share_numerator": share.numerator,
                  "min_share_denominator": share.denominator})
    stage.full_clean()
    return stage
