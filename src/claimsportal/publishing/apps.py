from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "claimsportal.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from claimsportal.claims import effects
        from claimsportal.publishing import facts, statement_of_truth

        effects.register_observer(facts.observe)
        # Which statement-of-truth wording each signed form confirmed, stored in its transaction
        effects.register_observer(statement_of_truth.record)
        effects.register_on_delete(statement_of_truth.forget)
