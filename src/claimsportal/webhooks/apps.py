from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "claimsportal.webhooks"
    label = "webhooks"
    verbose_name = "Signed webhooks"

    def ready(self) -> None:
        # The outbox: deliveries are written in the transaction of the change that causes them.
        from claimsportal.claims import effects
        from claimsportal.documents import printable
        from claimsportal.webhooks import outbox

        effects.register_observer(outbox.on_written)
        effects.register_notice_observer(outbox.on_noticed)
        effects.register_on_delete(outbox.on_deleted)
        printable.register_on_rendered(outbox.on_document_rendered)
