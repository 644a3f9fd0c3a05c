from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claimsportal.claims"
    label = "claims"
    verbose_name = "Claims"
