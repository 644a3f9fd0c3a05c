"""The private file storage of attachments and printable documents.

Django's ``STORAGES["private"]`` (a directory under ``CLAIMSPORTAL_DATA_DIR`` by default; any
Django storage, e.g. S3 through django-storages, in production). Its files have no URL: they are
only ever served by the authorised views, which check that the claim is visible to the caller.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]
