from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "claimsportal.organisations"
    label = "organisations"
    verbose_name = "Organisations, branches and users"
