"""Signed webhooks for case-management systems (docs/webhooks.md): endpoints, an outbox written in
the change's own transaction, and the delivery job."""
