"""Test shorthands for the long forms, so workflow tests read as the workflow.

The forms themselves are tested field by field in tests/protocols/forms; workflow tests only need a
complete valid form with a few facts chosen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from claimsportal.protocols.forms.examples import cnf_example, insurer_response_example
from claimsportal.protocols.state import ADULT_AGE, age_on


def cnf_for(
    claim_type: str = "RTA",
    *,
    sent_on: date,
    surname: str = "Smith",
    dob: date | None = None,
    insurer_type: str | None = "I",
    child: bool = False,
) -> dict[str, Any]:
    """A complete valid CNF; its child flag matches the claimant's age on the day it is sent. Without
    a date of birth the claimant is an adult born 15 January 1980, or a child born in 2020."""
    if dob is None:
        dob = date(2020, 1, 10) if child else date(1980, 1, 15)
    return cnf_example(
        claim_type,
        surname=surname,
        date_of_birth=dob,
        child=child or age_on(dob, sent_on) < ADULT_AGE,
        insurer_type=insurer_type if claim_type == "RTA" else None,
        reference=f"REF-{surname}",
    )


def liability_shorthand(protocol: str, payload: dict[str, Any]) -> dict[str, Any]:
    """``liabilityDecision="A"`` (and ``reasonsForDenial``) stand for a complete §6.4 insurer
    response with that decision; any other payload is sent as it is."""
    if "liabilityDecision" not in payload or set(payload) - {"liabilityDecision", "reasonsForDenial"}:
        return payload
    response = insurer_response_example(
        protocol, payload["liabilityDecision"], reasons=payload.get("reasonsForDenial")
    )
    return {"insurerResponse": response}
