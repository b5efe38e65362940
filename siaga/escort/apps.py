from django.apps import AppConfig


class EscortConfig(AppConfig):
    name = "siaga.escort"
    label = "escort"
    verbose_name = "Pengawalan logistik"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/escort/access.py``)."""
        from siaga.escort import access  # noqa: F401
