from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "siaga.core"
    label = "core"
    verbose_name = "Inti"
