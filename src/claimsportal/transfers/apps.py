from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "claimsportal.transfers"
    label = "transfers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A deleted claim leaves no line in a transfer's list or report (docs/custody.md).
        from claimsportal.claims import effects
        from claimsportal.transfers.deletion import forget_claims

        effects.register_on_delete(forget_claims)
