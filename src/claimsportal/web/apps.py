from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "claimsportal.web"
    label = "web"
    verbose_name = "Web UI"
