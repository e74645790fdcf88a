from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "accreg.collection"
    verbose_name = "信息采集"
