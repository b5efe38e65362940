from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "siaga.elections"
    label = "elections"
    verbose_name = "Pemilihan dan operasi"
