from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "claimsportal.documents"
    label = "documents"
    verbose_name = "Printable documents and attachments"

    def ready(self) -> None:
        # The printable documents an operation makes due are written in the operation's own
        # transaction by perform(), which knows them only through this registration.
        from claimsportal.claims import effects
        from claimsportal.documents.attachments import delete_claim_documents
        from claimsportal.documents.printable import create_due_documents

        effects.register(create_due_documents)
        effects.register_on_delete(delete_claim_documents)
