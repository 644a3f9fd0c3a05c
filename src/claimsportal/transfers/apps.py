from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "claimsportal.transfers"
    label = "transfers"
    default_auto_field = "django.db.models.BigAutoField"
