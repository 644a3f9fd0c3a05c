from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "claimsportal.documents"
    label = "documents"
    verbose_name = "Printable documents and attachments"
