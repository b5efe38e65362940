from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "siaga.risk"
    label = "risk"
    verbose_name = "Kerawanan"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/risk/access.py``)."""
        from siaga.risk import access  # noqa: F401
