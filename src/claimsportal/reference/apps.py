from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "claimsportal.reference"
    label = "reference"
    verbose_name = "Reference data"
