"""Reads of the deployments app: an operation's data, pins and plan versions."""

from __future__ import annotations

from siaga.deployments.models import Pin, Plan
from siaga.elections.models import Operation
from siaga.formats.records import Dataset


def operation_get(operation_id: int) -> Operation:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return Operation.objects.select_related("election").get(pk=operation_id)
    except ObjectDoesNotExist:
        known = ", ".join(f"{o.pk} ({o.name})" for o in Operation.objects.all()[:20]) or "belum ada"
        raise ValueError(f"operasi {operation_id} tidak dikenal; yang ada: {known}") from None


def latest_plan(operation: Operation) -> Plan | None:
    return operation.plans.order_by("-version").first()


def operation_dataset(operation: Operation) -> Dataset:
    """The TPS of the election's regencies, and the units (with people) that serve there."""
    from siaga.dataio.selectors import stored_dataset

    regencies = set(operation.election.regencies.values_list("code", flat=True))
    dataset = stored_dataset(regency_codes=regencies or None)
    if not regencies:
        return dataset
    districts = {t.district_name for t in dataset.tps} | {t.village_code[:8] for t in dataset.tps}
    by_id = {u.unit_id: u for u in dataset.units}
    chosen = {u.unit_id for u in dataset.units if any(d in districts for d in u.districts)}
    for unit_id in list(chosen):  # the commands above them (Polres, Kodim)
        parent = by_id[unit_id].parent_id
        while parent and parent in by_id:
            chosen.add(parent)
            parent = by_id[parent].parent_id
    grew = True
    while grew:  # units without districts of their own serve their parent's area (e.g. a reserve)
        extra = {u.unit_id for u in dataset.units if not u.districts and u.parent_id in chosen} - chosen
        chosen |= extra
        grew = bool(extra)
    dataset.units = [u for u in dataset.units if u.unit_id in chosen]
    dataset.personnel = [p for p in dataset.personnel if p.unit_id in chosen]
    return dataset


def operation_pins(operation: Operation):
    """The operation's pins as the planner's Pins value."""
    from siaga.planning.model import Pins

    person_post, tps_post = {}, {}
    for pin in Pin.objects.filter(operation=operation).select_related("personnel", "tps"):
        if pin.personnel_id:
            person_post[pin.personnel.code] = pin.post_id
        else:
            tps_post[pin.tps.code] = pin.post_id
    return Pins(person_post=person_post, tps_post=tps_post)
