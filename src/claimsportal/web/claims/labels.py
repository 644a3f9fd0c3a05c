"""What only the claim pages need beyond ``presentation.labels`` (the words shared with the PDFs)."""

from __future__ import annotations

# Re-exported: tests/documents/test_printable.py imports operation_label from here.
from claimsportal.presentation.labels import operation_label as operation_label

# Housekeeping done with one button on the claim page (no form to fill).
ONE_CLICK_OPERATIONS = frozenset({"lockClaim", "unlockClaim", "forceUnlockClaim", "deallocateUser"})
