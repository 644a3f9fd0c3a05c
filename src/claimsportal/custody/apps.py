from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "claimsportal.custody"
    label = "custody"
    verbose_name = "Claim custody: retention, automatic acknowledgement, archive, GDPR deletion"
