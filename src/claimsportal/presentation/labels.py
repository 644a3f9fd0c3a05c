"""Readable words for the forms' field names, code lists and operations.

The forms keep the XSDs' camelCase names (and misspellings); people read labels. A label is the
field name made readable (``claimAndClaimantDetails`` -> "Claim and claimant details") unless the
small tables below say better. Code lists are labelled by field name, from WORKFLOW.md §6.1 (the
meanings documented beside the types in ``protocols.forms.common``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from claimsportal.protocols.codes import EXTENSION_REASONS, FRAUD_REASONS
from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.losses import LOSS_TYPES

_WORD_BREAK = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[0-9]+(?:[A-Z_]|$))|_"
)
_ACRONYMS = {
    "cnf": "CNF",
    "cru": "CRU",
    "cr": "CR",
    "cm": "CM",
    "ni": "NI",
    "oic": "OIC",
    "vrn": "VRN",
    "id": "ID",
    "mojcmc": "MoJ CMC",
    "cmc": "CMC",
    "medco": "MedCo",
    "cpp": "CPP",
    "ispf": "ISPF",
    "s2spf": "S2SPF",
}


def humanise(name: str) -> str:
    """``claimAndClaimantDetails`` -> "Claim and claimant details"; ``askCUEPIReference`` -> "Ask
    CUEPI reference"; acronyms stay in capitals."""
    words = [w for w in _WORD_BREAK.split(name) if w]
    out: list[str] = []
    for word in words:
        lowered = word.lower()
        if lowered in _ACRONYMS:
            out.append(_ACRONYMS[lowered])
        elif word.isupper() and len(word) > 1:
            out.append(word)
        else:
            out.append(lowered)
    text = " ".join(out)
    return text[:1].upper() + text[1:]


# Field names whose readable form is not their words. Keyed by the field's own name (the same name
# means the same thing wherever it appears in the forms).
FIELD_LABELS: dict[str, str] = {
    # The forms, as their operations carry them
    "cnf": "Claim Notification Form",
    "insurerResponse": "Insurer response",
    "ispfRequest": "Interim Settlement Pack",
    "ispfResponse": "Response to the Interim Settlement Pack",
    "s2spfRequest": "Stage 2 Settlement Pack",
    "s2spfResponse": "Response to the Stage 2 Settlement Pack",
    "s2spfCounterOfferByCR": "Counter offer by the claimant representative",
    "s2spfCounterOfferByCM": "Counter offer by the compensator",
    "additionalDamagesRequest": "Additional damages request",
    "additionalDamagesResponse": "Response to the additional damages request",
    "cppfRequest": "Court Proceedings Pack",
    "cppfResponse": "Response to the Court Proceedings Pack",
    # Stage 1: the CNF
    "applicationData": "Application data",
    "claimAndClaimantDetails": "Claim and claimant details",
    "repairsAndAlternativeVehicleProvision": "Repairs and alternative vehicle provision",
    "liabilityFunding": "Liability and funding",
    "statementOfTruth": "Statement of truth",
    "claimValue": "Claim value",
    "signatory": "Who signs the form",
    "signatoryType": "Who signs the form",
    "retainedCopy": "Signed copy retained",
    "litigantInPerson": "The claimant is not legally represented",
    "retainedSignedCopy": "Signed copy retained",
    "oicReferenceNumber": "Official Injury Claim (OIC) reference number",
    "name": "First name",
    "middleName": "Middle name",
    "surname": "Last name",
    "titleType": "Title",
    "otherTitle": "Other title",
    "dateOfBirth": "Date of birth",
    "sex": "Sex",
    "address": "Address",
    "houseName": "House name",
    "houseNumber": "House number",
    "street1": "Address line 1",
    "street2": "Address line 2",
    "city": "Town or city",
    "postCode": "Postcode",
    "addressType": "Address type",
    "vrn": "Vehicle registration number",
    "color": "Colour",
    "engineSize": "Engine size (cc)",
    "nationalInsuranceNumber": "National Insurance number",
    "ninComment": "Why there is no National Insurance number",
    "askCUEPIReference": "askCUE PI reference",
    "childClaim": "Is the claimant a child?",
    "insurerOrganizationID": "Insurer organisation ID",
    "insurerOrganizationPath": "Insurer organisation path",
    "insurerType": "Insurer type",
    "insurerFound": "Other insurers found",
    "defendantStatus": "Is the defendant a person or a business?",
    "defDriverName": "Defendant driver's name",
    "defedantAge": "Defendant's age",
    "defendandDescription": "Description of the defendant",
    "defendantDetailsObtained": "How the defendant's details were obtained",
    "policyNumberReference": "Policy number or reference",
    "mojcmcAuthorisationNumber": "MoJ CMC authorisation number",
    "claimantType": "The claimant was",
    "otherType": "Other (describe)",
    "occupantsNumber": "Number of occupants",
    "seatbelt": "Was the claimant wearing a seatbelt?",
    "driverIsDefendant": "Was the driver the defendant?",
    "policeReported": "Was the accident reported to the police?",
    "accidentDate": "Date of the accident",
    "accidentTime": "Time of the accident",
    "accidentLocation": "Place where the accident happened",
    "accidentDescription": "What happened",
    "insuranceCompanyInformatiion": "Insurance company",
    "vihicleInformation": "Vehicle",
    "opType": "Other party type",
    "opOther": "Other party type (describe)",
    "otherParty": "Other party",
    "softTissue": "Soft tissue injury",
    "boneInjury": "Bone injury",
    "whiplash": "Whiplash",
    "injurySustainedDescription": "Injuries sustained",
    "timeOffRequired": "Did the claimant need time off work?",
    "timeOffPeriod": "Time off (days)",
    "stillOffWork": "Is the claimant still off work?",
    "medicalAttentionSeeking": "Has the claimant sought medical attention?",
    "medicalAttentionFirstDate": "Date medical attention was first sought",
    "hospitalAttendance": "Did the claimant attend hospital?",
    "overnightDetention": "Was the claimant kept in overnight?",
    "daysNumber": "Number of nights",
    "claiimingDamageOwnVehicle": "Is the claimant claiming for damage to their own vehicle?",
    "throughAlternatieCompany": "Through an alternative company",
    "defendantInsInspection": "Inspection by the defendant's insurer",
    "totalLoss": "Is the vehicle a total loss?",
    "avRequiredByCL": "Alternative vehicle required by the claimant",
    "avRequiredByCR": "Alternative vehicle required by the claimant representative",
    "avProvided": "Alternative vehicle provided",
    "vhclHitSideRoad": "Vehicle hit by a vehicle from a side road",
    "vhclHitInRear": "Vehicle hit in the rear",
    "vhclHitWhilstParked": "Vehicle hit whilst parked",
    "accidCarPark": "In a car park",
    "accidRoundabout": "On a roundabout",
    "accidChangingLanes": "Changing lanes",
    "concertinaCollision": "Concertina collision",
    "bussOrCoach": "Was a bus or coach involved?",
    "defendantResponsability": "Why the defendant is responsible",
    "op1Responsability": "Other party 1 responsible",
    "op2Responsability": "Other party 2 responsible",
    "op3Responsability": "Other party 3 responsible",
    "op4Responsability": "Other party 4 responsible",
    "op5Responsability": "Other party 5 responsible",
    "op6Responsability": "Other party 6 responsible",
    "hospitalType": "Hospital type",
    "referralSource": "Referral source",
    # Stage 1: the insurer response
    "liabilityDecision": "Liability decision",
    "unadmittedLiabilityReasons": "Reasons for not admitting liability",
    "insurerClaimReferenceNumber": "Compensator's claim reference",
    "capacity": "Capacity in which the compensator acts",
    # Stage 2 packs
    "lossType": "Head of loss",
    "grossValueClaimed": "Gross value claimed",
    "grossValueOffered": "Gross value offered",
    "percContribNegDeductions": "Contributory negligence deduction",
    "percInterestRate": "Interest rate",
    "interest": "Interest",
    "evidenceAttached": "Evidence attached",
    "itemBeingPursued": "Pursued in this request",
    "isGrossAmountAgreed": "Gross amount agreed",
    "cruDeductions": "CRU deductions",
    "grossAmount": "Gross amount (Global offer)",  # Release 6 (ADMINISTRATION.md §8.6)
    "interimPaymentAmount": "Interim payments made",
    "settlementPackDecision": "Decision",
    "settlementPackCounterOfferDecision": "Decision",
    "additionalDamagesDecision": "Decision",
    "currentClaimantOffer": "Head of loss",
    "claimantLossesToDate": "Head of loss",
    "lastClaimantOffer": "Head of loss",
    "currentDefendantResponse": "Reply to head of loss",
    "defendantResponse": "Reply to head of loss",
    "lastDefendantResponse": "Reply to head of loss",
    "tariffType": "Tariff type",
    "selectDurationOfTheInjury": "Duration of the injury",
    "excepCircumstancesUplift": "Uplift for exceptional circumstances",
    "excepCircumstancesUpliftPerc": "Uplift",
    "excepCircumstancesUpliftNote": "Reasons for the uplift",
    "medCoCase": "MedCo case",
    "medCoCaseID": "MedCo case ID",
    "medicalReportStage2": "Number of medical reports attached",
    "medicalReportStage2_1": "Number of medical reports attached",
    "claimantFinalOffer": "Claimant's final offer",
    "defendantFinalOffer": "Defendant's final offer",
    "disbursmentDisputed": "Disputed disbursements",
    "disbursementDisputedRequestResponse": "Disputed disbursement",
    "hasDefendantNamedLegalRep": "Does the defendant have a named legal representative?",
    "cruReference": "CRU reference",
    "cruReferenceNumber": "CRU reference number",
    # Operations' own fields
    "isArticle75": "Does Article 75 apply?",
    "isStage1Paid": "Have the Stage 1 fixed costs been paid?",
    "isInterimPaymentNeeded": "Is an interim payment needed?",
    "isPartialInterimPaymentAccepted": "Does the claimant accept the partial interim payment?",
    "isStage21Paid": "Has the interim payment been received?",
    "isStage2SPFCounterOfferNeeded": "Does the claimant want to make a counter offer?",
    "isAgreed": "Is it agreed?",
    "additionalDamagesExist": "Are there additional damages?",
    "rejectionReasonCode": "Reason for rejecting the claim",
    "rejectionComment": "Why the interim settlement pack is rejected",
    "organisationPath": "Compensator to reassign the claim to",
    "reasonCode": "Reason",
    "reasonDescription": "Describe the reasons",
    "newTimeOut": "New time limit",
    "newTimeOutDate": "New time limit",
    "reasonForExtension": "Reason for the extension",
    "exitReasonCode": "Reason for leaving the process",
    "exitComment": "Comment",
    "targetUserID": "User",
    "branchId": "Branch",
    "compensator": "Compensator (organisation path, if different)",
    # Labels the field names spell wrongly or shorten (the glossary: docs/glossary.md)
    "altVchlProvided": "Alternative vehicle provided",
    "altVhclDetails": "Alternative vehicle details",
    "preparedToProvideReabilitation": "Prepared to provide rehabilitation",
    "preparedToProvideRehabilitation": "Prepared to provide rehabilitation",
    "reabilitationDetails": "Rehabilitation details",
    "reabilitationProvided": "Rehabilitation provided",
    "defendantsInsurer": "Defendant's insurer",
    "defendantsDOB": "Defendant's date of birth",
    "referralSourceSource": "Where the claimant heard of you",
    "referralSourceWebsite": "Website the claimant came from",
    "referralSourceInfo": "Referral source",
    "cmcName": "Name of the claims management company (CMC)",
    "valueClaimedAfterContrib": "Value claimed after contributory negligence",
    "valueOfferedAfterContrib": "Value offered after contributory negligence",
    "allDisbursementAgreedAndPaid": "Have all disbursements been agreed and paid?",
    "upToDateCRUCertificateAttached": "Is an up-to-date CRU certificate attached?",
    "upToDateCRUCertificateAttachedComments": "Why no up-to-date CRU certificate is attached",
    "cruComment": "Why the CRU reference number is not known",
    "courtProceedingsPackPartA": "Court Proceedings Pack part A",
    "courtProceedingsPackPartB": "Court Proceedings Pack part B",
    "occupation_CPP": "Occupation (Court Proceedings Pack)",
    "selected": "Chosen insurer",
    "busCoach": "Bus or coach",
    "claimantLocation": "Where the claimant was",
    "claimantLocationOther": "Where the claimant was (describe)",
    "incidentReported": "Was the incident reported?",
    "accidentOccurred": "The accident occurred",
    "causedByDefendant": "The accident was caused by the defendant",
    "causedSomeLossToTheClaimant": "The accident caused the claimant some loss",
    "claimantEntitled": "The claimant is entitled to claim",
    "hireNeed": "Need for hire",
    "driverID": "Driver's ID",
    "endDate": "End date",
    "startDate": "Start date",
    "notificationDate": "Date the claim was sent",
    "disbursementId": "Disbursement number",
    "reasonForNotPayingFullDisbursement": "Why the disbursement is not paid in full",
    "stage1FixedCostsPaid": "Stage 1 fixed costs paid",
    "stage2FixedCostsPaid": "Stage 2 fixed costs paid",
    "throughClaimantInsurer": "Through the claimant's insurer",
    "noAuthority": "No authority",
    "evidence": "Evidence",
}

# Hints shown under a field's label (keyed by field name).
FIELD_HINTS: dict[str, str] = {
    "postCode": "For example, LS1 5AB",
    "accidentTime": "Use the 24-hour clock, for example 14:30",
    "nationalInsuranceNumber": "For example, QQ123456C",
    "askCUEPIReference": "For example, ASKCUEPI1234567",
    "medCoCaseID": "For example, 123456/1",
    "cruReferenceNumber": "Three letters and three digits, for example ABC123",
    "oicReferenceNumber": "For example, OIC-1234-5678",
    "organisationPath": "For example, /COMP002",
    "statementOfTruth": (
        "The claimant believes that the facts stated in this form are true, and the signatory is "
        "authorised to sign on their behalf"
    ),
    "insurerClaimReferenceNumber": "Optional: your own reference for this claim",
    "compensator": "Leave empty to send the claim to the same compensator again",
}

# Answers that are needed only in some cases: shown as a hint, and never marked "(optional)". Keyed by
# the end of the field's path (the same name means the same rule). The forms' conditional rules give
# theirs (protocols.forms.rules: one source for the validation, the OpenAPI document and these words);
# the rest are rules that stay code (tariff heads, disputed disbursements).
CONDITIONS: dict[str, str] = {
    **rules.hints(),
    "excepCircumstancesUpliftPerc": "Needed if you claim an uplift for exceptional circumstances: 1 to 20",
    "disbursmentDisputed": "Needed if not all disbursements have been agreed and paid",
    "tariffType": "Only for general damages (pain, suffering and loss of amenity)",
    "selectDurationOfTheInjury": "Only for general damages (pain, suffering and loss of amenity)",
    "excepCircumstancesUplift": "Only for general damages (pain, suffering and loss of amenity)",
}


def condition(path: str) -> str:
    """When an answer that is not always needed is needed ("" when it is simply optional)."""
    for key, text in CONDITIONS.items():
        if path == key or path.endswith("." + key):
            return text
    return ""


AMOUNT_HINT = "In pounds and pence, for example 1500.00"
PERCENT_HINT = "For example, 25.00"

YES_NO: list[tuple[str, str]] = [("1", "Yes"), ("0", "No")]

# Code lists (WORKFLOW.md §6.1), by the name of the field that carries them.
_YNNK = {"1": "Yes", "0": "No", "2": "Not known"}
_YNDK = {"0": "Yes", "1": "No", "2": "Don't know"}
CODE_LABELS: dict[str, Mapping[str, str]] = {
    "titleType": {"1": "Mr", "2": "Mrs", "3": "Ms", "4": "Miss", "5": "Other"},
    "sex": {"M": "Male", "F": "Female", "N": "Not known"},
    "addressType": {"P": "Home address", "A": "Same as above", "F": "Business address"},
    # C32 (Release 6): the letters' meanings are not published [I] (docs/glossary.md)
    "referralSource": {
        "R": "A regulated claims management company (CMC)",
        "E": "An existing client",
        "P": "A personal recommendation",
        "A": "Advertising",
        "F": "Friends or family",
        "W": "A website",
        "O": "Other",
        "N": "Prefer not to say",
    },
    "claimantLocation": {
        "0": "On a road or pavement",
        "1": "On private or business premises",
        "2": "Somewhere else (describe below)",
    },
    "signatory": {"S": "The claimant's representative", "C": "The claimant in person"},
    "signatoryType": {"S": "The claimant's representative", "C": "The claimant in person"},
    "claimValue": {"1": "Up to £10,000", "2": "£10,000 to £25,000"},
    "claimType": {
        "RTA": "Road traffic accident",
        "EL": "Employers' liability (accident)",
        "ELD": "Employers' liability (disease)",
        "PL": "Public liability",
    },
    "insurerType": {"I": "Insurer", "M": "Motor Insurers' Bureau (MIB)", "S": "Self-insured"},
    "defendantStatus": {"P": "A person", "B": "A business"},
    "claimantType": {
        "0": "The driver",
        "1": "The owner, not driving",
        "2": "A passenger",
        "3": "A pedestrian",
        "4": "A cyclist",
        "5": "A motorcyclist",
        "6": "Other",
    },
    "seatbelt": {"1": "Yes", "0": "No", "2": "Not known"},
    "policeReported": _YNNK,
    "incidentReported": _YNNK,
    "totalLoss": _YNDK,
    "detailsOfTheInsurance": {
        "0": "Comprehensive",
        "1": "Third party, fire and theft",
        "2": "Third party only",
        "3": "Other",
    },
    "repairsPosition": {"0": "Complete", "1": "Authorised", "2": "Not yet authorised", "3": "Not known"},
    "opType": {"W": "Witness", "O": "Other"},
    "hospitalType": {"0": "NHS", "1": "Private"},
    "rehabilitationUndertaken": {"0": "Yes", "1": "No", "3": "Medical professional not seen"},
    "capacity": {
        "0": "Insurer in contract",
        "1": "RTA insurer",
        "2": "Article 75 insurer",
        "3": "MIB",
        "4": "Other",
    },
    "liabilityDecision": {
        "A": "Admitted",
        "AN": "Admitted with contributory negligence",
        "N": "Not admitted",
    },
    "lossType": dict(LOSS_TYPES),
    "settlementPackDecision": {"C": "Confirm (accept the pack)", "CO": "Counter offer", "R": "Repudiate"},
    "settlementPackCounterOfferDecision": {
        "ACO": "Accept the claimant's counter offer",
        "NEWCO": "Make a new counter offer",
    },
    "additionalDamagesDecision": {"A": "Agree", "CO": "Counter offer"},
    "tariffType": {"1": "Tariff", "2": "Non-tariff"},
    # C34/C35: the Whiplash Injury Regulations 2021 tariff bands (WORKFLOW.md §6.1 [I])
    "selectDurationOfTheInjury": {
        "0": "Not more than 3 months",
        "1": "More than 3 months, up to 6 months",
        "2": "More than 6 months, up to 9 months",
        "3": "More than 9 months, up to 12 months",
        "4": "More than 12 months, up to 15 months",
        "5": "More than 15 months, up to 18 months",
        "6": "More than 18 months, up to 24 months",
        "7": "More than 24 months",
    },
    "medicalReportStage2": {str(n): str(n) for n in range(5)},
    "medicalReportStage2_1": {str(n): str(n) for n in range(5)},
    "reasonForExtension": EXTENSION_REASONS,
    "reasonCode": FRAUD_REASONS,
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or humanise(name)


def code_label(name: str, value: str) -> str:
    labels = CODE_LABELS.get(name)
    if labels and value in labels:
        return labels[value]
    return value


# Operations: what the button and the page call them (the API's name is shown beside).
OPERATION_LABELS: dict[str, str] = {
    "addClaim": "Send the claim notification form",
    "resendRejectedClaim": "Correct and resend the claim",
    "exitRejectedClaim": "Leave the process (rejected claim)",
    "acknowledgeRejectedClaim": "Acknowledge the rejection",
    "acknowledgeClaim": "Acknowledge the claim",
    "acceptClaim": "Accept the claim",
    "rejectClaimToCR": "Reject the claim",
    "reassignToAnotherCM": "Reassign to another compensator",
    "stateFraud": "State fraud",
    "applyArticle75": "Article 75 decision",
    "sendLiabilityDecision": "Send the liability decision",
    "acknowledgeLiabilityAdmitted": "Acknowledge liability admitted",
    "acknowledgeLiabilityAdmittedForChild": "Acknowledge liability admitted (child)",
    "acknowledgeLiabilityAdmittedWithNeg": "Acknowledge liability admitted with negligence",
    "acknowledgeDeniedLiability": "Acknowledge liability not admitted",
    "acknowledgeLiabilityDecisionTimeout": "Acknowledge the liability decision timeout",
    "acknowledgeFraudStated": "Acknowledge the fraud statement",
    "setStage1Payment": "Record the Stage 1 fixed costs payment",
    "setInterimPaymentNeeded": "Decide whether an interim payment is needed",
    "addInterimSPFRequest": "Send the Interim Settlement Pack",
    "addInterimSPFResponse": "Respond to the Interim Settlement Pack",
    "rejectInterimSettlementPack": "Reject the Interim Settlement Pack",
    "extendInterimPaymentDecisionTimeout": "Extend the interim payment decision time limit",
    "acknowledgeRejectedInterimSettlementPack": "Acknowledge the rejected Interim Settlement Pack",
    "acknowledgeInterimPaymentDecisionTimeout": "Acknowledge the interim decision timeout and continue",
    "returnToStartOfStage21": "Return to the start of Stage 2.1",
    "acceptPartialInterimPayment": "Decide on the partial interim payment",
    "acknowledgePartialPaymentDecision": "Acknowledge the partial payment decision",
    "setStage21Payment": "Record the interim payment",
    "addStage2SPFRequest": "Send the Stage 2 Settlement Pack",
    "addStage2SPFResponse": "Respond to the Stage 2 Settlement Pack",
    "extendStage2SPFDecisionTimeout": "Extend the Stage 2 decision time limit",
    "extendStage2SPFCounterOfferTimeout": "Extend the counter offer time limit",
    "acknowledgeStage2SPFConfirmation": "Acknowledge the settlement",
    "acknowledgeStage2SPFRepudiation": "Acknowledge the repudiation",
    "acknowledgeStage2SPFDecisionTimeout": "Acknowledge the Stage 2 decision timeout",
    "setStage2SPFCounterOfferNeeded": "Decide whether to make a counter offer",
    "addStage2SPFCounterOfferByCR": "Send a counter offer",
    "addStage2SPFCounterOfferByCM": "Respond to the counter offer",
    "setStage2SPFAgreementDecision": "Record whether the claim is agreed",
    "acknowledgeStage2SPFAgreed": "Acknowledge the agreement",
    "acknowledgeStage2SPFNotAgreed": "Acknowledge no agreement",
    "setAdditionalDamagesExistence": "Decide whether there are additional damages",
    "addS2SPFAdditionalDamagesRequest": "Send the additional damages request",
    "addS2SPFAdditionalDamagesResponse": "Respond to the additional damages request",
    "extendAdditionalDamagesDecisionTimeout": "Extend the additional damages time limit",
    "acknowledgeAllDamagesAgreed": "Acknowledge all damages agreed",
    "setS2SPFAdditionalDamagesDecision": "Decide on the additional damages",
    "acknowledgeAdditionalDamagesAgreement": "Acknowledge the additional damages outcome",
    "acknowledgeAdditionalDamagesDecisionTimeout": "Acknowledge the additional damages timeout",
    "addCPPFRequest": "Send the Court Proceedings Pack",
    "addCPPFResponse": "Respond to the Court Proceedings Pack",
    "acknowledgeCPPFResponse": "Acknowledge the Court Proceedings Pack response",
    "exitProcess": "Leave the process",
    "acknowledgeExitProcess": "Acknowledge the exit",
    "lockClaim": "Lock the claim",
    "unlockClaim": "Unlock the claim",
    "forceUnlockClaim": "Force unlock",
    "allocateUser": "Allocate to a user",
    "deallocateUser": "Remove the allocation",
    "allocateClaimToBranch": "Allocate to a branch",
    "createDraft": "Create the draft",
    "updateDraft": "Save the draft",
    "claimTransferred": "Claim Transfer",  # a bulk transfer between organisations (ADMINISTRATION.md §3)
}


def operation_label(name: str) -> str:
    return OPERATION_LABELS.get(name) or humanise(name)


# The process history in words: what happened, in the past tense where the button's words would
# read as an instruction. Others read as the operation's label.
HISTORY_LABELS: dict[str, str] = {
    "createDraft": "Started the draft",
    "updateDraft": "Saved the draft",
    "addClaim": "Sent the claim notification form",
    "resendRejectedClaim": "Corrected and resent the claim",
    "timeout": "The time limit ran out",
    "lockClaim": "Locked the claim",
    "unlockClaim": "Unlocked the claim",
    "forceUnlockClaim": "Forced the claim unlocked",
    "allocateUser": "Allocated the claim to a user",
    "deallocateUser": "Removed the allocation",
    "allocateClaimToBranch": "Allocated the claim to a branch",
    "acceptClaim": "Accepted the claim",
    "acknowledgeClaim": "Acknowledged the claim",
    "rejectClaimToCR": "Rejected the claim",
    "reassignToAnotherCM": "Reassigned the claim to another compensator",
    "sendLiabilityDecision": "Sent the liability decision",
    "addInterimSPFRequest": "Sent the Interim Settlement Pack",
    "addInterimSPFResponse": "Responded to the Interim Settlement Pack",
    "addStage2SPFRequest": "Sent the Stage 2 Settlement Pack",
    "addStage2SPFResponse": "Responded to the Stage 2 Settlement Pack",
    "addStage2SPFCounterOfferByCR": "Sent a counter offer",
    "addStage2SPFCounterOfferByCM": "Responded to the counter offer",
    "addCPPFRequest": "Sent the Court Proceedings Pack",
    "addCPPFResponse": "Responded to the Court Proceedings Pack",
    "exitProcess": "Left the process",
}


def history_label(name: str) -> str:
    return HISTORY_LABELS.get(name) or operation_label(name)
