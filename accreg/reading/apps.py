from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "accreg.reading"
    verbose_name = "材料识别"
