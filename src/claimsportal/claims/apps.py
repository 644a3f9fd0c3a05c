from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claimsportal.claims"
    label = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Open deadlines follow the calendar: claims.deadlines receives reference.calendar's
        # calendar_changed (the calendar, below the claims, names no claims module).
        from claimsportal.claims import deadlines  # noqa: F401 - connects its receiver
