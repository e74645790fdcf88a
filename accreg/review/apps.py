from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "accreg.review"
    verbose_name = "审核"
