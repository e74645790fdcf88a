from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "accreg.notifications"
    verbose_name = "通知"
