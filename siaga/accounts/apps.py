from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "siaga.accounts"
    label = "accounts"
    verbose_name = "Akun dan akses"

    def ready(self) -> None:
        """Declare this app's scope rules and redaction policies (``siaga/accounts/access.py``)."""
        from siaga.accounts import access  # noqa: F401
