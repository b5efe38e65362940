from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "siaga.elections"
    label = "elections"
    verbose_name = "Pemilihan dan operasi"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/elections/access.py``)."""
        from siaga.elections import access  # noqa: F401
