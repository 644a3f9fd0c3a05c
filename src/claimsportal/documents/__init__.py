"""Printable documents (PDF) and attachments of claims (WORKFLOW.md §7.5, §10)."""
