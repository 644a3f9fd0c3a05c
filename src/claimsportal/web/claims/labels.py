"""What only the claim pages need beyond ``presentation.labels`` (the words shared with the PDFs)."""

from __future__ import annotations

# Housekeeping done with one button on the claim page (no form to fill).
ONE_CLICK_OPERATIONS = frozenset({"lockClaim", "unlockClaim", "forceUnlockClaim", "deallocateUser"})
