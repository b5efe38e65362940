from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "siaga.operations"
    label = "operations"
    verbose_name = "Hari pemungutan suara"
