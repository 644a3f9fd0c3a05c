from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "claimsportal.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from claimsportal.claims import effects
        from claimsportal.publishing import facts

        effects.register_observer(facts.observe)
