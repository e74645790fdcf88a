from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "accreg.claims"
    verbose_name = "证件号占用申诉"
