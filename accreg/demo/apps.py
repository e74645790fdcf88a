from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accreg.demo"
    verbose_name = "演示数据"
