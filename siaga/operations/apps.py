from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "siaga.operations"
    label = "operations"
    verbose_name = "Hari pemungutan suara"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/operations/access.py``)."""
        from siaga.operations import access  # noqa: F401
