from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accreg.audit"
    verbose_name = "审计日志"
