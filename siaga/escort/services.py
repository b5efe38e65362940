"""Writes of the escort app: generating an operation's legs, hand-over check-ins, marking a leg missing.

Each write runs in one transaction and records an audit event. Check-ins are idempotent by client id:
a resend (same key) returns the stored check-in and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from siaga.core.idempotency import check_replay, clean_at, clean_client_id
from siaga.core.services import audit_record
from siaga.escort.chain import LegSpec, build_chain
from siaga.escort.models import Checkin, Leg
from siaga.escort.schedule import DEFAULT_SCHEDULE, PREDECESSOR_SEQ, Schedule

#: A check-in may be stamped at most this far ahead of the server clock (phones with a wrong clock).
MAX_SEALS = 500
SEAL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")


@dataclass
class GenerateReport:
    """What ``escort_plan_generate`` did."""

    legs: int
    created: int
    updated: int
    unchanged: int
    kept_under_way: int  # legs already departed/arrived/missing: left as they are
    removed: int         # planned legs whose TPS, village or district is no longer in the operation
    plan_version: int | None
    without_escort: int
    dropped_unavailable: int

    def as_dict(self) -> dict:
        return asdict(self)


def _chunks(ids: list[int], size: int = 900):
    """Slices small enough for one ``IN (...)`` on every database."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _spec_values(spec: LegSpec, version: int | None) -> dict:
    return {"seq": spec.seq, "direction": spec.direction, "from_kind": spec.from_kind, "from_name": spec.from_name,
            "from_code": spec.from_code, "to_kind": spec.to_kind, "to_name": spec.to_name, "to_code": spec.to_code,
            "district_id": spec.district_id, "village_id": spec.village_id,
            "planned_departure": spec.planned_departure, "planned_arrival": spec.planned_arrival,
            "note": spec.note, "plan_version": version}


def escort_plan_generate(*, operation, actor: str, user=None, schedule: Schedule | None = None) -> GenerateReport:
    """Build (or bring up to date) the operation's escort legs from its TPS and plan.

    Idempotent: legs are matched by their key (seq + district/village/TPS code), so re-running creates no
    duplicates; legs still ``planned`` follow the current data and plan; legs already under way are kept.
    """
    schedule = schedule or DEFAULT_SCHEDULE
    chain = build_chain(operation, schedule, timezone.get_current_timezone())
    through_tps, through_escorts = Leg.tps.through, Leg.escorts.through
    with transaction.atomic():
        existing = {leg.key: leg for leg in Leg.objects.select_for_update().filter(operation=operation)}
        old_tps: dict[int, set[int]] = {}
        for leg_id, tps_id in through_tps.objects.filter(leg__operation=operation).values_list("leg_id", "tps_id"):
            old_tps.setdefault(leg_id, set()).add(tps_id)
        old_escorts: dict[int, set[int]] = {}
        for leg_id, pid in through_escorts.objects.filter(leg__operation=operation).values_list("leg_id",
                                                                                                 "personnel_id"):
            old_escorts.setdefault(leg_id, set()).add(pid)

        new_specs: list[LegSpec] = []
        relink: list[tuple[Leg, LegSpec]] = []
        updates: dict[tuple, list[int]] = {}  # the same changes (e.g. a new plan version) -> one UPDATE
        unchanged = under_way = 0
        for spec in chain.legs:
            leg = existing.pop(spec.key, None)
            if leg is None:
                new_specs.append(spec)
                continue
            if leg.state != Leg.State.PLANNED:
                under_way += 1
                continue
            values = _spec_values(spec, chain.plan_version)
            fields_changed = [f for f, v in values.items() if getattr(leg, f) != v]
            links_changed = (old_tps.get(leg.pk, set()) != set(spec.tps_ids)
                             or old_escorts.get(leg.pk, set()) != set(spec.escort_ids))
            if not fields_changed and not links_changed:
                unchanged += 1
                continue
            updates.setdefault(tuple((f, values[f]) for f in fields_changed), []).append(leg.pk)
            relink.append((leg, spec))
        stale = [leg.pk for leg in existing.values() if leg.state == Leg.State.PLANNED]
        under_way += len(existing) - len(stale)  # no longer in the data but already moving: kept as they are
        for ids in _chunks(stale):
            Leg.objects.filter(pk__in=ids).delete()
        now = timezone.now()
        for changes, leg_ids in updates.items():
            for ids in _chunks(leg_ids):
                Leg.objects.filter(pk__in=ids).update(updated_at=now, **dict(changes))
        created = Leg.objects.bulk_create(
            [Leg(operation=operation, key=s.key, **_spec_values(s, chain.plan_version)) for s in new_specs],
            batch_size=500)
        for ids in _chunks([leg.pk for leg, _ in relink]):
            through_tps.objects.filter(leg_id__in=ids).delete()
            through_escorts.objects.filter(leg_id__in=ids).delete()
        pairs = relink + list(zip(created, new_specs, strict=True))
        through_tps.objects.bulk_create([through_tps(leg_id=leg.pk, tps_id=t) for leg, s in pairs for t in s.tps_ids],
                                        batch_size=2000)
        through_escorts.objects.bulk_create(
            [through_escorts(leg_id=leg.pk, personnel_id=p) for leg, s in pairs for p in s.escort_ids], batch_size=2000)
        report = GenerateReport(
            legs=len(chain.legs), created=len(created), updated=len(relink), unchanged=unchanged,
            kept_under_way=under_way, removed=len(stale), plan_version=chain.plan_version,
            without_escort=sum(1 for s in chain.legs if not s.escort_ids), dropped_unavailable=chain.dropped_unavailable)
        audit_record(actor=actor, user=user, action="escort.plan", target=f"operation:{operation.pk}",
                     details=report.as_dict())
    return report


def parse_seals(seal_numbers) -> list[str]:
    """Clean a list of seal numbers; refuse an empty list, duplicates and malformed numbers (nothing stored)."""
    if isinstance(seal_numbers, str) or not isinstance(seal_numbers, list | tuple):
        raise ValidationError("nomor segel (seal_numbers): kirim daftar nomor segel (list), mis. [\"KPU-0012345\"]")
    seals = [str(s).strip() for s in seal_numbers if str(s).strip()]
    if not seals:
        raise ValidationError("nomor segel (seal_numbers): daftar nomor segel kosong; catat nomor segel setiap kotak suara")
    if len(seals) > MAX_SEALS:
        raise ValidationError(f"nomor segel (seal_numbers): paling banyak {MAX_SEALS} nomor, dikirim {len(seals)}")
    bad = [s for s in seals if not SEAL_PATTERN.match(s)]
    if bad:
        raise ValidationError(f"nomor segel (seal_numbers): format tidak dikenal: {', '.join(bad[:5])} "
                              "(huruf, angka, '.', '/', '-'; paling panjang 40)")
    doubled = sorted({s for s in seals if seals.count(s) > 1})
    if doubled:
        raise ValidationError(f"nomor segel (seal_numbers): nomor ganda: {', '.join(doubled[:5])}")
    return seals


def _predecessors_done(leg: Leg) -> None:
    """Refuse a departure while the legs that bring the boxes to this leg's start have not arrived."""
    seq = PREDECESSOR_SEQ.get(leg.seq)
    if seq is None:
        return
    legs = Leg.objects.filter(operation_id=leg.operation_id, seq=seq)
    if leg.seq == 2:
        legs = legs.filter(district_id=leg.district_id)
    elif leg.seq in (3, 4):
        legs = legs.filter(tps__in=leg.tps.all(), village_id=leg.village_id).distinct()
    elif leg.seq == 5:
        legs = legs.filter(village_id=leg.village_id)
    else:  # 6: every PPS -> PPK leg of the district
        legs = legs.filter(district_id=leg.district_id)
    allowed = {Leg.State.ARRIVED} | ({Leg.State.MISSING} if leg.seq in (5, 6) else set())
    waiting = [p for p in legs.order_by("key") if p.state not in allowed]
    if waiting:
        names = "; ".join(f"{p.from_name} → {p.to_name}" for p in waiting[:3])
        more = f" dan {len(waiting) - 3} lainnya" if len(waiting) > 3 else ""
        raise ValidationError(f"urutan: belum bisa berangkat dari {leg.from_name}: kotak belum tiba lewat "
                              f"{names}{more}. Catat serah terima kaki sebelumnya dulu.")


def _discrepancies(leg: Leg, seals: list[str], box_count: int) -> list[str]:
    """Differences between the arrival hand-over and the departure one (kept, shown on the board)."""
    departure = leg.checkins.filter(point=Checkin.Point.FROM).first()
    if departure is None:
        return []
    found = []
    lost, new = sorted(set(departure.seal_numbers) - set(seals)), sorted(set(seals) - set(departure.seal_numbers))
    if lost or new:
        found.append(f"segel berbeda dengan saat berangkat: hilang {', '.join(lost) or '-'}; baru {', '.join(new) or '-'}")
    if box_count != departure.box_count:
        found.append(f"jumlah kotak {box_count}, saat berangkat {departure.box_count}")
    return found


def _replay(actor: str, client_id: str, sent: dict) -> Checkin | None:
    """The stored check-in of this actor and key when it carries what was sent (ReplayConflict, 409, when the
    key was used for another hand-over); None for a new key (siaga.core.idempotency)."""
    stored = Checkin.objects.filter(actor=actor, client_id=client_id).first()
    return None if stored is None else check_replay(stored, sent, "serah terima")


def handover_checkin(*, leg_id: int, point: str, seal_numbers, box_count: int, client_id: str, actor: str,
                     at: dt.datetime | None = None, note: str = "", user=None) -> tuple[Checkin, bool]:
    """Record a hand-over at the start (``from``) or end (``to``) of a leg; returns (check-in, created).

    A resend with the same client id returns the stored check-in (created=False). Refused, with nothing
    stored: an empty or malformed seal list, fewer than one box, a check-in out of order (arrival before
    departure, a departure before the previous leg arrived, a second check-in at the same end), a time
    before the departure or too far in the future.
    """
    client_id = clean_client_id(client_id)
    if point not in Checkin.Point.values:
        raise ValidationError(f"titik (point): '{point}' tidak dikenal; pilih 'from' (berangkat) atau 'to' (tiba)")
    seals = parse_seals(seal_numbers)
    if not isinstance(box_count, int) or isinstance(box_count, bool) or box_count < 1:
        raise ValidationError("jumlah kotak (box_count): bilangan bulat, paling sedikit 1")
    at_given = at is not None
    at = clean_at(at)
    note = (note or "").strip()[:500]
    sent = {"leg_id": leg_id, "point": point, "seal_numbers": seals, "box_count": box_count, "note": note,
            **({"at": at} if at_given else {})}
    stored = _replay(actor, client_id, sent)
    if stored is not None:
        return stored, False
    try:
        with transaction.atomic():
            leg = Leg.objects.select_for_update().filter(pk=leg_id).first()
            if leg is None:
                raise ValidationError(f"kaki pengawalan {leg_id} tidak dikenal")
            stored = _replay(actor, client_id, sent)
            if stored is not None:
                return stored, False
            checkin = _apply(leg, point, seals, box_count, at, note, client_id, actor, user)
    except IntegrityError:
        stored = _replay(actor, client_id, sent)  # a concurrent resend won the race
        if stored is not None:
            return stored, False
        raise ValidationError("urutan: serah terima di titik ini baru saja dicatat oleh pengguna lain") from None
    return checkin, True


def _apply(leg: Leg, point: str, seals: list[str], box_count: int, at: dt.datetime, note: str, client_id: str,
           actor: str, user) -> Checkin:
    expected = leg.next_point
    if expected is None:
        raise ValidationError("urutan: kaki ini sudah tiba dan diserahterimakan; tidak ada serah terima lagi")
    if point != expected:
        if point == Checkin.Point.TO:
            raise ValidationError(f"urutan: belum ada serah terima berangkat di {leg.from_name}; catat itu dulu")
        raise ValidationError(f"urutan: serah terima berangkat di {leg.from_name} sudah dicatat; "
                              f"berikutnya serah terima tiba di {leg.to_name}")
    before = leg.state
    discrepancies: list[str] = []
    if point == Checkin.Point.FROM:
        _predecessors_done(leg)
        leg.departed_at, leg.state = at, Leg.State.DEPARTED
    else:
        if at < leg.departed_at:
            raise ValidationError(f"waktu (at): tiba ({at.isoformat()}) sebelum berangkat ({leg.departed_at.isoformat()})")
        discrepancies = _discrepancies(leg, seals, box_count)
        leg.arrived_at, leg.state = at, Leg.State.ARRIVED
    checkin = Checkin(leg=leg, point=point, at=at, user=user, actor=actor, seal_numbers=seals, box_count=box_count,
                      note=(note or "").strip()[:500], client_id=client_id, discrepancies=discrepancies)
    checkin.full_clean(exclude=["leg", "user"], validate_unique=False)
    checkin.save()
    leg.save(update_fields=["departed_at", "arrived_at", "state", "updated_at"])
    audit_record(actor=actor, user=user, action="escort.checkin", target=f"escort-leg:{leg.pk}",
                 details={"point": point, "from": before, "to": leg.state, "seals": len(seals),
                          "box_count": box_count, "client_id": client_id, "discrepancies": discrepancies})
    _board_event(leg)
    return checkin


@transaction.atomic
def leg_mark_missing(*, leg_id: int, note: str, actor: str, user=None, at: dt.datetime | None = None) -> Leg:
    """Mark a leg that has not arrived as missing (no word from the escort, boxes not where they should be).

    A later check-in still records the leg's progress. Refused for a leg already handed over.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationError("catatan (note): wajib; tulis apa yang diketahui (mis. 'pengawal tidak bisa dihubungi sejak 05.30')")
    leg = Leg.objects.select_for_update().filter(pk=leg_id).first()
    if leg is None:
        raise ValidationError(f"kaki pengawalan {leg_id} tidak dikenal")
    if leg.state == Leg.State.ARRIVED:
        raise ValidationError("kaki ini sudah tiba dan diserahterimakan; tidak bisa ditandai hilang")
    if leg.state == Leg.State.MISSING:
        return leg
    before = leg.state
    leg.state, leg.missing_at, leg.missing_note = Leg.State.MISSING, at or timezone.now(), note[:300]
    leg.save(update_fields=["state", "missing_at", "missing_note", "updated_at"])
    audit_record(actor=actor, user=user, action="escort.missing", target=f"escort-leg:{leg.pk}",
                 details={"from": before, "note": leg.missing_note})
    _board_event(leg)
    return leg


def _board_event(leg: Leg) -> None:
    """Tell the command board (operations event log, last in the transaction) that a leg moved on."""
    from siaga.operations.payloads import iso
    from siaga.operations.services import event_append

    event_append(operation_id=leg.operation_id, district_id=leg.district_id, kind="escort",
                 payload={"leg": leg.pk, "from": leg.from_name, "to": leg.to_name, "state": leg.state,
                          "at": iso(leg.arrived_at or leg.departed_at or leg.missing_at)})
