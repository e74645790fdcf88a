from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "accreg.regions"
    verbose_name = "行政区划与管理部门"
