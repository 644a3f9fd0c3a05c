"""The Defendant Only Claim Notification Form (RTA2 / EL2 / ELD2 / PL2): the data.

When a CNF is sent, the claimant representative must post a copy to the defendant itself (the
insured driver, the employer, the occupier), who is not a portal user (WORKFLOW.md §2, §11). This
module selects what that letter carries from the CNF as sent; the printable PDF is rendered from it
by the documents feature.

What it carries [I] (the live form's layout is not published): who it is addressed to (the
defendant: person or business, with address), the portal application ID and the date the claim was
sent, the claim type and form name, the claimant's name, the accident (date, time, place and what
happened; for ELD the exposure location and description), the defendant's vehicle (RTA), the policy
number, the insurer the claim was sent to, and the claimant representative's contact details and
reference. It deliberately leaves out the claimant's date of birth, address, National Insurance
number, AskCUE reference and medical details: the defendant needs to know a claim was made and pass
it to their insurer, not the claimant's personal data (data minimisation, UK GDPR art. 5(1)(c)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

FORM_NAMES = {"RTA": "RTA2", "EL": "EL2", "ELD": "ELD2", "PL": "PL2"}


@dataclass(frozen=True)
class PostalAddress:
    lines: tuple[str, ...]
    post_code: str


@dataclass(frozen=True)
class DefendantOnlyCnf:
    form_name: str
    claim_type: str
    application_id: str
    sent_on: date
    addressee_name: str
    addressee_address: PostalAddress | None
    defendant_status: str  # P personal, B business
    claimant_name: str
    accident_date: date | None
    accident_time: str | None
    accident_location: str
    accident_description: str
    defendant_vehicle_registration: str | None
    policy_number: str
    insurer_name: str
    insurer_organisation_id: str
    representative_company: str
    representative_contact: str
    representative_telephone: str
    representative_email: str
    representative_reference: str
    representative_address: PostalAddress | None


def _get(node: Any, *path: str) -> Any:
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _text(node: Any, *path: str) -> str:
    value = _get(node, *path)
    return value.strip() if isinstance(value, str) else ""


def _address(node: Any) -> PostalAddress | None:
    if not isinstance(node, dict):
        return None
    parts = [
        " ".join(p for p in (_text(node, "houseNumber"), _text(node, "houseName")) if p),
        _text(node, "street1"),
        _text(node, "street2"),
        _text(node, "district"),
        _text(node, "city"),
        _text(node, "county"),
        _text(node, "country"),
    ]
    return PostalAddress(tuple(p for p in parts if p), _text(node, "postCode"))


def _name(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def defendant_only_cnf(
    claim_type: str, cnf: dict[str, Any], *, application_id: str, sent_on: date
) -> DefendantOnlyCnf:
    """The Defendant Only CNF's data from a CNF as sent (already validated in full)."""
    details = _get(cnf, "claimAndClaimantDetails") or {}
    defendant = details.get("defendantDetails") or {}
    status = _text(defendant, "defendantStatus")
    if status == "B":
        company = defendant.get("companyDetails") or {}
        addressee = _text(company, "companyName")
        address = _address(company.get("address"))
    else:
        person = defendant.get("personalDetails") or {}
        addressee = _name(_text(person, "name"), _text(person, "middleName"), _text(person, "surname"))
        address = _address(person.get("address"))
    claimant = _get(details, "claimantDetails", "personalDetails") or {}
    accident = _get(cnf, "accidentData", "accidentDetails") or {}
    representative = _get(details, "claimantRepresentative", "companyDetails") or {}
    insurer = defendant.get("insurerInformation") or {}
    accident_date = accident.get("accidentDate")
    return DefendantOnlyCnf(
        form_name=FORM_NAMES[claim_type],
        claim_type=claim_type,
        application_id=application_id,
        sent_on=sent_on,
        addressee_name=addressee,
        addressee_address=address,
        defendant_status=status,
        claimant_name=_name(
            _text(claimant, "name"), _text(claimant, "middleName"), _text(claimant, "surname")
        ),
        accident_date=date.fromisoformat(accident_date) if isinstance(accident_date, str) else None,
        accident_time=_text(accident, "accidentTime") or None,
        accident_location=_text(accident, "accidentLocation"),
        accident_description=_text(accident, "accidentDescription"),
        defendant_vehicle_registration=_text(defendant, "vehicle", "vrn") or None,
        policy_number=_text(defendant, "policyNumberReference"),
        insurer_name=_text(insurer, "insurerName"),
        insurer_organisation_id=_text(insurer, "insurerOrganizationID"),
        representative_company=_text(representative, "companyName"),
        representative_contact=_name(
            _text(representative, "contactName"),
            _text(representative, "contactMiddleName"),
            _text(representative, "contactSurname"),
        ),
        representative_telephone=_text(representative, "telephoneNumber"),
        representative_email=_text(representative, "emailAddress"),
        representative_reference=_text(representative, "referenceNumber"),
        representative_address=_address(representative.get("address")),
    )
