from django.apps import AppConfig


class A2AConfig(AppConfig):
    name = "claimsportal.a2a"
    label = "a2a"
    verbose_name = "A2A API"
    default_auto_field = "django.db.models.BigAutoField"
