"""The users' profiles as people read them (the account page, the administration console)."""

from __future__ import annotations

from claimsportal.organisations.profiles import CLAIMS_PROFILES, Profile

PROFILE_LABELS: dict[str, str] = {
    Profile.ADMINISTRATOR: "Administrator (the administration console; no claims by itself)",
    Profile.DELETE_CLAIMS: "ADVANCED USER Delete Claims",
    Profile.SEARCH_ARCHIVE: "Search Archived Claims User",
    **{p.value: c.label for p, c in CLAIMS_PROFILES.items()},
}
