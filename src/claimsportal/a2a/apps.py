from django.apps import AppConfig


class A2AConfig(AppConfig):
    name = "claimsportal.a2a"
    label = "a2a"
    verbose_name = "A2A API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A deleted claim's stored Idempotency-Key answers go with it (docs/custody.md).
        from claimsportal.a2a.idempotency import forget_claims
        from claimsportal.claims import effects

        effects.register_on_delete(forget_claims)
