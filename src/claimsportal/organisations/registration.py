"""Registration of organisations and the operator's approval (ADMINISTRATION.md §1.1).

An organisation applies online; the application waits for the operator, who aims to decide within 5
working days. Approval creates the organisation with its ID, branch 001 (the Central Point of a
compensator) and any further branches asked for, and the first Administrator, who is e-mailed their
user ID and a one-time code to set their password. Rejection records and e-mails the reason.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations import accounts, credentials
from claimsportal.organisations.administration import PERSON_NAME
from claimsportal.organisations.models import (
    Branch,
    Organisation,
    OrganisationApplication,
    User,
    UserAgreement,
)
from claimsportal.organisations.operator import check_operator
from claimsportal.organisations.services import (
    USER_ID_PATTERN,
    _parse_claim_types,
    create_organisation,
    create_user,
    invalid,
)
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.reference.calendar import get_calendar

TARGET_WORKING_DAYS = 5
REGULATORS = ("SRA", "CILEX", "BSB")
ICO_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{6,8}$")
TELEPHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")
FREE_MAIL = ("gmail.", "hotmail.", "outlook.", "yahoo.", "icloud.", "aol.")


def _text(fields: dict[str, Any], name: str, low: int, high: int) -> str:
    value = str(fields.get(name) or "").strip()
    if not low <= len(value) <= high:
        raise invalid(name, f"must be {low} to {high} characters")
    return value


def _email(value: str, name: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise invalid(name, "must be a valid e-mail address") from None
    return value


def submit_application(**fields: Any) -> OrganisationApplication:
    """Validate and store an application; every problem names its field."""
    org_type = str(fields.get("org_type") or "").strip().upper()
    if org_type not in Organisation.Type.values:
        raise invalid("orgType", "must be CR (claimant representative) or COMP (compensator)")
    claim_types = _parse_claim_types(fields.get("claim_types") or "")
    name = _text(fields, "name", 2, 120)
    telephone = str(fields.get("telephone") or "").strip()
    if not TELEPHONE.match(telephone):
        raise invalid("telephone", "must be a UK telephone number, e.g. 0113 496 0000")
    email = _email(str(fields.get("email") or ""), "email")
    ico = str(fields.get("ico_number") or "").strip().upper()
    if not ICO_NUMBER.match(ico):
        raise invalid("icoNumber", "must be the ICO registration number, e.g. ZA123456")
    regulator = str(fields.get("regulator") or "").strip().upper()
    regulator_number = str(fields.get("regulator_number") or "").strip()
    compensator_type = str(fields.get("compensator_type") or "").strip().upper()
    if org_type == "CR":
        if regulator not in REGULATORS:
            raise invalid(
                "regulator", "a claimant representative must be regulated by the SRA, CILEX or the BSB"
            )
        if not 3 <= len(regulator_number) <= 30:
            raise invalid("regulatorNumber", "must be the number the regulator gave you")
        if compensator_type:
            raise invalid("compensatorType", "only compensators have a compensator type")
    else:
        regulator = regulator_number = ""
        compensator_type = compensator_type or "I"
        if compensator_type not in Organisation.CompensatorType.values:
            raise invalid("compensatorType", "must be I (insurer), S (self-insured) or M (MIB)")
    address = fields.get("address") or {}
    if (
        not isinstance(address, dict)
        or not str(address.get("street1", "")).strip()
        or not str(address.get("postCode", "")).strip()
    ):
        raise invalid("address", "give at least the first line and the postcode")
    branches = [str(b).strip() for b in (fields.get("branches") or []) if str(b).strip()]
    for index, branch in enumerate(branches):
        if PERSON_NAME.match(branch) or not 2 <= len(branch) <= 120:
            raise invalid(
                f"branches.{index}", "must describe the branch (a team, region or office), not a person"
            )
    admin_user_id = str(fields.get("admin_user_id") or "").strip()
    if "@" in admin_user_id or not USER_ID_PATTERN.match(admin_user_id):
        raise invalid(
            "adminUserId", "must be 3-50 letters, digits, '.', '_' or '-', and not an e-mail address"
        )
    taken = User.objects.annotate(uid=Lower("user_id")).filter(uid=admin_user_id.lower()).exists() or (
        OrganisationApplication.objects.filter(status=OrganisationApplication.Status.PENDING)
        .annotate(uid=Lower("admin_user_id"))
        .filter(uid=admin_user_id.lower())
        .exists()
    )
    if taken:
        raise invalid(
            "adminUserId", "is already taken (user IDs are unique across the portal, whatever the case)"
        )
    admin_email = _email(str(fields.get("admin_email") or ""), "adminEmail")
    if any(admin_email.lower().split("@")[1].startswith(domain) for domain in FREE_MAIL):
        raise invalid("adminEmail", "must be a business e-mail address of the Administrator")
    today = clock.real_today()
    with transaction.atomic():
        count = OrganisationApplication.objects.count() + 1
        application = OrganisationApplication.objects.create(
            reference=f"REG-{count:06d}",
            org_type=org_type,
            claim_types=claim_types,
            name=name,
            address=address,
            telephone=telephone,
            email=email,
            ico_number=ico,
            regulator=regulator,
            regulator_number=regulator_number,
            compensator_type=compensator_type,
            software_house=str(fields.get("software_house") or "").strip()[:120],
            branches=branches,
            admin_user_id=admin_user_id,
            admin_forename=_text(fields, "admin_forename", 1, 60),
            admin_surname=_text(fields, "admin_surname", 1, 60),
            admin_email=admin_email,
            submitted_at=clock.real_now(),
            due_on=get_calendar().add_business_days(today, TARGET_WORKING_DAYS),
        )
        audit(None, "registration.submitted", application.reference, name=name)
    return application


def pending_applications(operator: User) -> QuerySet[OrganisationApplication]:
    check_operator(operator)
    return OrganisationApplication.objects.filter(status=OrganisationApplication.Status.PENDING).order_by(
        "due_on", "submitted_at"
    )


def is_overdue(application: OrganisationApplication, today: date | None = None) -> bool:
    return (
        application.status == OrganisationApplication.Status.PENDING
        and (today or clock.real_today()) > application.due_on
    )


def _pending(reference: str) -> OrganisationApplication:
    application = OrganisationApplication.objects.select_for_update().filter(reference=reference).first()
    if application is None:
        raise PortalError("NOT_FOUND", "No such application", [ErrorDetail("reference", "unknown")])
    if application.status != OrganisationApplication.Status.PENDING:
        raise PortalError(
            "BUSINESS_RULE",
            f"The application was already {application.status.lower()}",
            [ErrorDetail("reference", "already decided")],
        )
    return application


def approve(operator: User, reference: str) -> Organisation:
    check_operator(operator)
    with transaction.atomic():
        application = _pending(reference)
        organisation = create_organisation(
            org_type=application.org_type,
            name=application.name,
            claim_types=application.claim_types,
            compensator_type=application.compensator_type,
        )
        for key in (
            "address",
            "telephone",
            "email",
            "ico_number",
            "regulator",
            "regulator_number",
            "software_house",
        ):
            setattr(organisation, key, getattr(application, key))
        organisation.save()
        Branch.objects.filter(organisation=organisation, branch_id="001").update(
            address=application.address, telephone=application.telephone, email=application.email
        )
        for number, branch_name in enumerate(application.branches, start=2):
            Branch.objects.create(organisation=organisation, branch_id=f"{number:03d}", name=branch_name)
        admin = create_user(
            organisation=organisation,
            user_id=application.admin_user_id,
            email=application.admin_email,
            profiles="ADMINISTRATOR",
            forename=application.admin_forename,
            surname=application.admin_surname,
        ).user
        application.status = OrganisationApplication.Status.APPROVED
        application.decided_at = clock.real_now()
        application.decided_by = operator
        application.organisation = organisation
        application.save()
        audit(
            operator,
            "registration.approved",
            application.reference,
            organisation=organisation,
            orgId=organisation.org_id,
        )
        accounts.send_welcome(admin)
    return organisation


def reject(operator: User, reference: str, reason: str) -> OrganisationApplication:
    check_operator(operator)
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 2000:
        raise invalid("reason", "give the reason for the rejection (5 to 2000 characters)")
    with transaction.atomic():
        application = _pending(reference)
        application.status = OrganisationApplication.Status.REJECTED
        application.rejection_reason = reason
        application.decided_at = clock.real_now()
        application.decided_by = operator
        application.save()
        audit(operator, "registration.rejected", application.reference, reason=reason)
        send_mail(
            "Your Claims Portal registration",
            f"We could not approve the registration of {application.name} ({application.reference}): {reason}",
            None,
            [application.admin_email],
        )
    return application


def publish_agreement(operator: User, *, version: str, title: str, text: str) -> UserAgreement:
    """The operator publishes a new user agreement version (audited). From now on no user of an
    organisation works on claims until one of its Administrators accepts it (ADMINISTRATION.md §1.9)."""
    check_operator(operator)
    version = (version or "").strip()
    title = (title or "").strip()
    text = (text or "").strip()
    if not 1 <= len(version) <= 32:
        raise invalid("version", "must be 1 to 32 characters, e.g. 2026-1")
    if not 3 <= len(title) <= 200:
        raise invalid("title", "must be 3 to 200 characters")
    if len(text) < 20:
        raise invalid("text", "give the full text of the agreement")
    with transaction.atomic():
        if UserAgreement.objects.filter(version=version).exists():
            raise invalid("version", "has already been published: choose a new version")
        agreement = accounts.publish_agreement(version=version, title=title, text=text)
        audit(operator, "agreement.published", version, title=title)
    credentials.bump()  # the API's cached acting users must meet the new agreement at once
    return agreement
