from django.apps import AppConfig


class ProvincesConfig(AppConfig):
    name = "accreg.provinces"
    verbose_name = "省份规则"

    def ready(self) -> None:
        # Fail at start, naming the file and key, rather than on a person's first request.
        from .loader import served_profiles

        served_profiles()
