from django.apps import AppConfig


class CodeListsConfig(AppConfig):
    name = "accreg.codelists"
    verbose_name = "代码表"
