from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RegionsConfig(AppConfig):
    name = "accreg.regions"
    verbose_name = "行政区划与管理部门"

    def ready(self) -> None:
        from .models import Department
        from .selectors import forget_department_codes

        post_save.connect(forget_department_codes, sender=Department, dispatch_uid="forget_department_codes_save")
        post_delete.connect(forget_department_codes, sender=Department, dispatch_uid="forget_department_codes_delete")
