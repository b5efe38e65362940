"""Default minimum share of operation strength per election stage.

From Kapolri telegram STR/387/VI/OPS.1.3./2020 (Operasi Mantap Praja 2020); see the domain brief
section 3. Area commanders may raise these; Siaga checks a plan against the voting-day share.
"""

from __future__ import annotations

from fractions import Fraction

# (code, Indonesian name, English name, minimum share of strength)
STAGE_SHARES: tuple[tuple[str, str, str, Fraction], ...] = (
    ("registration", "Pendaftaran calon", "Candidate registration", Fraction(1, 3)),
    ("designation", "Penetapan, pengundian nomor urut, deklarasi", "Designation, ballot-number draw, declaration", Fraction(1, 3)),
    ("campaign", "Kampanye", "Campaign", Fraction(1, 2)),
    ("quiet", "Masa tenang", "Quiet period", Fraction(1, 5)),
    ("voting", "Pemungutan suara", "Voting", Fraction(2, 3)),
    ("counting", "Penghitungan dan rekapitulasi suara", "Counting and recapitulation", Fraction(1, 6)),
    ("winners", "Penetapan calon terpilih", "Designation of winners", Fraction(1, 3)),
    ("dispute", "Perselisihan hasil (PHPU)", "Result dispute (PHPU)", Fraction(1, 6)),
    ("inauguration", "Pelantikan", "Inauguration", Fraction(1, 3)),
)

VOTING_DAY_SHARE = Fraction(2, 3)
