from django.apps import AppConfig


class ForcesConfig(AppConfig):
    name = "siaga.forces"
    label = "forces"
    verbose_name = "Satuan dan personel"
