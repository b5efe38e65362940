from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "siaga.deployments"
    label = "deployments"
    verbose_name = "Rencana pengamanan"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/deployments/access.py``) and its kind of
        background job (re-planning)."""
        from siaga.core.jobs import register_kind
        from siaga.deployments import access  # noqa: F401

        register_kind("replan", "siaga.deployments.services.replan_run")
