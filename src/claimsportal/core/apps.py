from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "claimsportal.core"
    label = "core"
    verbose_name = "Core: clock, heartbeats"
