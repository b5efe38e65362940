"""The default escort schedule: when each hop of the chain departs and arrives, relative to voting day (H).

Pure (no Django). Times are local wall-clock times in the server's time zone (settings.TIME_ZONE).
Sources (domain brief §3, "Logistics escort chain"): boxes reach the TPS by H-1; Serpas at H-1/H-2 after
which personnel escort logistics from the PPK to the PPS; Kota Kediri 2024 held the boxes at the kelurahan
and moved them into the TPS at 05:00-06:00 on voting day; the return runs TPS -> PPS -> PPK (recap) -> KPU.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

WAREHOUSE, PPK, PPS, TPS = "warehouse", "ppk", "pps", "tps"
OUTBOUND, RETURN = "outbound", "return"


@dataclass(frozen=True)
class Hop:
    """One hop of the chain: its place in the chain (1..6), direction, end points, and planned times."""

    seq: int
    direction: str
    from_kind: str
    to_kind: str
    depart_day: int          # days relative to voting day (H = 0)
    depart_time: dt.time
    arrive_day: int
    arrive_time: dt.time

    def times(self, voting_day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """Planned (departure, arrival) as aware datetimes for this voting day."""
        depart = dt.datetime.combine(voting_day + dt.timedelta(days=self.depart_day), self.depart_time, tz)
        arrive = dt.datetime.combine(voting_day + dt.timedelta(days=self.arrive_day), self.arrive_time, tz)
        return depart, arrive


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@dataclass(frozen=True)
class Schedule:
    """The six hops. Override by building a Schedule with other Hop values (arrival must follow departure)."""

    hops: tuple[Hop, ...] = field(default_factory=lambda: DEFAULT_HOPS)

    def __post_init__(self) -> None:
        seqs = [h.seq for h in self.hops]
        if sorted(seqs) != list(range(1, 7)):
            raise ValueError(f"schedule needs hops 1..6 exactly once, got {seqs}")
        for hop in self.hops:
            if (hop.arrive_day, hop.arrive_time) <= (hop.depart_day, hop.depart_time):
                raise ValueError(f"hop {hop.seq}: arrival must come after departure")

    def hop(self, seq: int) -> Hop:
        return next(h for h in self.hops if h.seq == seq)


DEFAULT_HOPS: tuple[Hop, ...] = (
    Hop(1, OUTBOUND, WAREHOUSE, PPK, -3, _t("08:00"), -3, _t("12:00")),   # KPU warehouse -> PPK, H-3
    Hop(2, OUTBOUND, PPK, PPS, -1, _t("08:00"), -1, _t("11:00")),         # PPK -> PPS, H-1 after Serpas
    Hop(3, OUTBOUND, PPS, TPS, 0, _t("05:00"), 0, _t("06:00")),           # PPS -> TPS, voting day 05-06
    Hop(4, RETURN, TPS, PPS, 0, _t("19:00"), 0, _t("21:00")),             # TPS -> PPS after counting
    Hop(5, RETURN, PPS, PPK, 1, _t("08:00"), 1, _t("12:00")),             # PPS -> PPK, H+1
    Hop(6, RETURN, PPK, WAREHOUSE, 6, _t("08:00"), 6, _t("12:00")),       # PPK -> KPU after the PPK recap
)

DEFAULT_SCHEDULE = Schedule()

#: What each hop's leg covers: one district (1, 6), one village (2, 5), one TPS (3, 4).
SCOPE_OF_SEQ = {1: "district", 6: "district", 2: "village", 5: "village", 3: "tps", 4: "tps"}
#: The outbound leg whose arrival a return leg's departure needs, and the inverse.
PREDECESSOR_SEQ = {2: 1, 3: 2, 4: 3, 5: 4, 6: 5}
