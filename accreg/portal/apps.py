from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "accreg.portal"
    verbose_name = "门户"
