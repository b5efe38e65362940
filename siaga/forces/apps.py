from django.apps import AppConfig


class ForcesConfig(AppConfig):
    name = "siaga.forces"
    label = "forces"
    verbose_name = "Satuan dan personel"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/forces/access.py``)."""
        from siaga.forces import access  # noqa: F401
