"""factory-boy factories for the stored models (small, valid defaults inside Kota Kediri)."""

from __future__ import annotations

import factory

from siaga.forces.models import Personnel, Unit
from siaga.regions.models import TPS, District, Province, Regency, Village


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "35"
    name = "Jawa Timur"


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ("code",)

    code = "35.71"
    name = "Kota Kediri"
    kind = "kota"
    province = factory.SubFactory(ProvinceFactory)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "35.71.01"
    name = "Mojoroto"
    regency = factory.SubFactory(RegencyFactory)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"35.71.01.{1001 + n}")
    name = factory.Sequence(lambda n: f"Kelurahan Uji {n}")
    kind = "kelurahan"
    district = factory.SubFactory(DistrictFactory)


class TPSFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TPS

    code = factory.Sequence(lambda n: f"TPS-TEST-{n:05d}")
    village = factory.SubFactory(VillageFactory)
    number = factory.Sequence(lambda n: n + 1)
    voters = 550
    lat = -7.82
    lon = 112.0


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"UNIT-{n}")
    name = factory.Sequence(lambda n: f"Polsek Uji {n}")
    force = "polri"
    level = "polsek"
    lat = -7.82
    lon = 112.0


class PersonnelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Personnel

    code = factory.Sequence(lambda n: f"{80000000 + n}")
    name = factory.Sequence(lambda n: f"Personel Uji {n}")
    force = "polri"
    rank = "Bripka"
    rank_order = 10
    unit = factory.SubFactory(UnitFactory)
    can_lead = True
