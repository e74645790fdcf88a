from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "accreg.notices"
    verbose_name = "通知公告"
