from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "siaga.accounts"
    label = "accounts"
    verbose_name = "Akun dan akses"
