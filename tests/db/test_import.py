"""The database importer and scenario loader: all or nothing, idempotent, updates in place."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from siaga.core.models import AuditEvent
from siaga.dataio.importer import ImportConflict, import_dataset
from siaga.dataio.scenario_load import scenario_load
from siaga.dataio.selectors import known_refs, stats, stored_dataset
from siaga.elections.models import Operation
from siaga.forces.models import Personnel, Unit
from siaga.formats import InputError, read_table, write_dataset
from siaga.formats.records import Dataset
from siaga.regions.models import TPS, Village
from siaga.risk.services import catalogue_sync
from siaga.scenarios import load_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def kediri():
    return load_scenario("kediri-kota-pilkada-2024")


@pytest.fixture
def catalogue():
    catalogue_sync()


def test_scenario_load_matches_published_totals_and_is_idempotent(kediri, catalogue):
    """Loading Kediri Kota stores 839 TPS and 576/31/1,678 personnel; loading again changes nothing."""
    report, operation = scenario_load(scenario=kediri, actor="test")
    assert report.tables["tps"].created == 839
    data = stats()
    assert data["tps"] == 839 and data["districts"] == 8
    assert data["personnel"] == {"polri": 576, "tni": 31, "linmas": 1678}
    assert operation.name == "Operasi Mantap Praja Semeru 2024"
    voting = operation.election.stages.get(code="voting")
    assert voting.min_share == Fraction(2, 3)
    assert str(operation.election.voting_day) == "2024-11-27"
    again, _ = scenario_load(scenario=kediri, actor="test")
    assert not again.changed
    assert stats() == data
    assert Operation.objects.count() == 1
    assert AuditEvent.objects.filter(action="scenario.load").count() == 2


def test_corrected_record_updates_in_place(kediri, catalogue):
    """Changing one TPS's voters and one person's status updates exactly those rows."""
    scenario_load(scenario=kediri, actor="test")
    d = kediri.dataset
    tps = list(d.tps)
    tps[0] = dataclasses.replace(tps[0], voters=tps[0].voters + 7)
    people = list(d.personnel)
    people[0] = dataclasses.replace(people[0], status="sick")
    report = import_dataset(dataset=Dataset(tps=tps, personnel=people, synthetic=True), actor="test", source="fix")
    assert report.tables["tps"].updated == 1 and report.tables["tps"].created == 0
    assert report.tables["personnel"].updated == 1
    assert TPS.objects.get(code=tps[0].tps_id).voters == tps[0].voters
    assert Personnel.objects.get(code=people[0].personnel_id).status == "sick"


def test_dry_run_writes_nothing(kediri, catalogue):
    """A dry run counts what would change and leaves the database as it was."""
    report = import_dataset(dataset=kediri.dataset, actor="test", source="dry", dry_run=True)
    assert report.tables["tps"].created == 839
    assert TPS.objects.count() == 0 and Unit.objects.count() == 0 and not AuditEvent.objects.exists()


def test_tps_number_clash_with_stored_tps_aborts_everything(kediri, catalogue):
    """A new TPS id reusing a stored TPS's number in the same village aborts the whole import."""
    scenario_load(scenario=kediri, actor="test")
    first = kediri.dataset.tps[0]
    clash = dataclasses.replace(first, tps_id="NEW-TPS-1")
    other_new = dataclasses.replace(first, tps_id="NEW-TPS-2", number=999)
    before = TPS.objects.count()
    with pytest.raises(ImportConflict, match="NEW-TPS-1"):
        import_dataset(dataset=Dataset(tps=[other_new, clash]), actor="test", source="clash")
    assert TPS.objects.count() == before


def test_files_import_one_by_one_against_stored_references(kediri, catalogue, tmp_path):
    """Units, then personnel import alone because references resolve against stored rows."""
    write_dataset(kediri.dataset, tmp_path)
    for table in ("tps", "units", "personnel", "indicators"):
        result = read_table(table, tmp_path / f"{table}.csv", known=known_refs())
        import_dataset(dataset=result.dataset, actor="test", source=table)
    assert stats()["personnel"] == {"polri": 576, "tni": 31, "linmas": 1678}
    polsek = Unit.objects.get(code=kediri.dataset.units[1].unit_id)
    assert polsek.districts.exists() or polsek.level in ("polres", "kodim")


def test_personnel_with_unknown_unit_is_rejected_before_writing(kediri, catalogue, tmp_path):
    """Personnel referring to a unit that is neither in the file nor stored is an input error."""
    write_dataset(Dataset(personnel=kediri.dataset.personnel[:5]), tmp_path)
    with pytest.raises(InputError) as error:
        read_table("personnel", tmp_path / "personnel.csv", known=known_refs())
    assert any(p.column == "unit_id" for p in error.value.problems)
    assert Personnel.objects.count() == 0


def test_stored_dataset_round_trips(kediri, catalogue):
    """What is stored reads back as the same records (order aside)."""
    scenario_load(scenario=kediri, actor="test")
    back = stored_dataset()
    assert sorted(back.tps, key=lambda r: r.tps_id) == sorted(kediri.dataset.tps, key=lambda r: r.tps_id)
    assert sorted(back.personnel, key=lambda r: r.personnel_id) == sorted(kediri.dataset.personnel,
                                                                          key=lambda r: r.personnel_id)
    assert len(back.units) == len(kediri.dataset.units)
    assert back.synthetic
    linmas_village = Village.objects.filter(residents__force="linmas").distinct().count()
    assert linmas_village == 106
