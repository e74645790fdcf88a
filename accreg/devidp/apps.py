from django.apps import AppConfig


class DevIdpConfig(AppConfig):
    name = "accreg.devidp"
    verbose_name = "开发用统一身份认证"
