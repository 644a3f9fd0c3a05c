"""The few facts of a Claim Notification Form that the workflow and the claim's columns need.

One reading of the form for the engine (child status, insurer type), the claim list columns
(claimant, references) and the Defendant Only CNF, whichever form (§6.2 RTA, §6.3 EL/ELD/PL) it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from claimsportal.protocols.forms.cnf_elpl import ElplClaimNotificationForm
from claimsportal.protocols.forms.cnf_rta import RtaClaimNotificationForm

ClaimNotificationForm = RtaClaimNotificationForm | ElplClaimNotificationForm

INSURER_INFORMATION_PATH = "claimAndClaimantDetails.defendantDetails.insurerInformation"


@dataclass(frozen=True)
class CnfFacts:
    claimant_surname: str
    claimant_forename: str
    claimant_date_of_birth: date
    child_declared: bool
    insurer_type: str | None  # RTA only: I (insurer) or M (MIB)
    cr_reference: str
    insurer_organisation_id: str
    insurer_organisation_path: str
    insurer_name: str | None
    accident_date: date | None


def cnf_facts(cnf: ClaimNotificationForm) -> CnfFacts:
    details = cnf.claimAndClaimantDetails
    person = details.claimantDetails.personalDetails
    insurer = details.defendantDetails.insurerInformation
    return CnfFacts(
        claimant_surname=person.surname,
        claimant_forename=person.name,
        claimant_date_of_birth=person.dateOfBirth,
        child_declared=details.claimantDetails.childClaim == "1",
        insurer_type=getattr(insurer, "insurerType", None),  # the EL/PL form has no insurer type
        cr_reference=details.claimantRepresentative.companyDetails.referenceNumber,
        insurer_organisation_id=insurer.insurerOrganizationID,
        insurer_organisation_path=insurer.insurerOrganizationPath,
        insurer_name=insurer.insurerName,
        accident_date=cnf.accidentData.accidentDetails.accidentDate,
    )
