from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "accreg.api"
    verbose_name = "接口"
