from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "accreg.desk"
    verbose_name = "管理部门服务台"
