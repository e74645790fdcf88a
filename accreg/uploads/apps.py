from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "accreg.uploads"
    verbose_name = "材料上传"
