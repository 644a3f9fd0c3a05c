from django.apps import AppConfig


class LitigantsConfig(AppConfig):
    name = "claimsportal.litigants"
    label = "litigants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A claim deleted (retention, GDPR) takes its reminder rows with it.
        from claimsportal.claims import effects
        from claimsportal.litigants.reminders import forget_deleted_claims

        effects.register_on_delete(forget_deleted_claims)
