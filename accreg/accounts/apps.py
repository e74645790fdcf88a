from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accreg.accounts"
    verbose_name = "账户"
