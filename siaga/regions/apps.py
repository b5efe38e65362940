from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "siaga.regions"
    label = "regions"
    verbose_name = "Wilayah dan TPS"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/regions/access.py``)."""
        from siaga.regions import access  # noqa: F401
