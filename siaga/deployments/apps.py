from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "siaga.deployments"
    label = "deployments"
    verbose_name = "Rencana pengamanan"
