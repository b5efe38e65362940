from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "siaga.regions"
    label = "regions"
    verbose_name = "Wilayah dan TPS"
