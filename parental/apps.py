from django.apps import AppConfig


class ParentalConfig(AppConfig):
    name = "parental"
    verbose_name = "Parental controls"
