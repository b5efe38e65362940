from django.apps import AppConfig


class EscortConfig(AppConfig):
    name = "siaga.escort"
    label = "escort"
    verbose_name = "Pengawalan logistik"
