"""The claims pages' views live in modules by feature: ``worklist``, ``claim_page``, ``operations``,
``draft_wizard``, ``search``, ``hospitals`` and ``notifications`` (with ``acting`` for who acts).

Only a re-export is left here: tests/browser/test_hospital_finder.py imports NO_HOSPITAL_CRITERIA
from this module (remove this file once it imports it from ``web.claims.hospitals``).
"""

from __future__ import annotations

from claimsportal.web.claims.hospitals import NO_HOSPITAL_CRITERIA as NO_HOSPITAL_CRITERIA
