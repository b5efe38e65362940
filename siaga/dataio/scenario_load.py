"""Load a shipped or exported scenario (dataset + election, stages, operation, partners) into the database."""

from __future__ import annotations

from django.db import transaction

from siaga.core.services import audit_record
from siaga.dataio.importer import ImportReport, Progress, import_dataset
from siaga.elections.models import Election, Operation
from siaga.elections.services import stage_upsert
from siaga.forces.models import PartnerAgency, Unit
from siaga.regions.models import Regency


@transaction.atomic
def scenario_load(*, scenario, actor: str, progress: Progress | None = None) -> tuple[ImportReport, Operation]:
    """Import the scenario's data and create or update its election and operation. One transaction."""
    report = import_dataset(dataset=scenario.dataset, actor=actor, source=f"scenario:{scenario.name}", progress=progress)
    spec = scenario.election
    election, _ = Election.objects.update_or_create(
        name=spec.name, defaults={"kind": spec.kind, "voting_day": spec.voting_day, "synthetic": scenario.synthetic})
    election.regencies.set(Regency.objects.filter(code__in=[code for code, _ in spec.regencies]))
    stage_codes = []
    for stage in spec.stages:
        stage_upsert(election=election, code=stage.code, name=stage.name, start=stage.start, end=stage.end,
                     min_share=stage.min_share)
        stage_codes.append(stage.code)
    election.stages.exclude(code__in=stage_codes).delete()
    op = scenario.operation
    operation, _ = Operation.objects.update_or_create(
        name=op.name, defaults={"election": election, "start": op.start, "end": op.end, "synthetic": scenario.synthetic,
                                "plan_toml": scenario.plan_toml,
                                "commanding_unit": Unit.objects.filter(code=op.commanding_unit_id).first()})
    regencies = dict(Regency.objects.values_list("code", "id"))
    for partner in scenario.partners:
        PartnerAgency.objects.update_or_create(
            name=partner.name, regency_id=regencies.get(partner.regency_code),
            defaults={"kind": partner.kind, "contact_name": partner.contact_name, "phone": partner.phone,
                      "email": partner.email, "synthetic": scenario.synthetic})
    audit_record(actor=actor, action="scenario.load", target=scenario.name,
                 details={"operation": operation.name, "import": report.as_dict()})
    return report, operation
