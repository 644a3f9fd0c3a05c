"""A transfer request from filing to approval (ADMINISTRATION.md §3), each step one transaction,
audited, and e-mailed to both primary contacts:

1. an Administrator of the sending or the receiving organisation files it (:func:`request_transfer`);
2. an Administrator of the *other* organisation agrees or declines (:func:`agree`, :func:`decline`);
3. the operator approves and schedules it at least 20 working days ahead (5 if neither side uses A2A)
   of the request, or rejects it with a reason (:func:`approve`, :func:`reject`);
4. the ``claims-transfer`` job runs it on its date (``transfers.execution``).

A transfer is seen only by the operator and the Administrators of its two organisations: to anyone
else it does not exist (NOT_FOUND).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations import administration
from claimsportal.organisations.models import A2AClient, Branch, Organisation, User
from claimsportal.organisations.operator import OPERATOR_ONLY as OPERATOR_ONLY
from claimsportal.organisations.operator import check_operator
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.reference.calendar import get_calendar
from claimsportal.transfers import claim_list, rules
from claimsportal.transfers.models import Transfer, TransferBranch, TransferLine

NO_SUCH_TRANSFER = "No such transfer"
NOT_A_PARTY = "Only an Administrator of the sending or the receiving organisation can ask for a transfer"
STATUS_WORDS = {
    Transfer.Status.REQUESTED: "requested",
    Transfer.Status.AGREED: "agreed",
    Transfer.Status.DECLINED: "declined",
    Transfer.Status.APPROVED: "approved and scheduled",
    Transfer.Status.REJECTED: "rejected",
    Transfer.Status.RUNNING: "running",
    Transfer.Status.DONE: "done",
}


def _invalid(field: str, message: str) -> PortalError:
    return PortalError("SCHEMA_INVALID", message, [ErrorDetail(field, message)])


def _rule(field: str, message: str) -> PortalError:
    return PortalError("BUSINESS_RULE", message, [ErrorDetail(field, message)])


def _forbidden(message: str) -> PortalError:
    return PortalError("FORBIDDEN_PROFILE", message, [ErrorDetail("user", message)])


def _not_found() -> PortalError:
    return PortalError("NOT_FOUND", NO_SUCH_TRANSFER, [ErrorDetail("reference", "no transfer you can see")])


# --------------------------------------------------------------------------------------------------
# Who sees what
# --------------------------------------------------------------------------------------------------


def _administrator_or_operator(user: User) -> Organisation | None:
    """The Administrator's organisation; None for the operator; anyone else is refused."""
    if user.is_operator:
        return None
    return administration.check_administrator(user)


def visible_transfers(user: User) -> QuerySet[Transfer]:
    organisation = _administrator_or_operator(user)
    transfers = Transfer.objects.select_related("source", "destination").order_by("-requested_at", "-pk")
    if organisation is None:
        return transfers
    return transfers.filter(Q(source=organisation) | Q(destination=organisation))


def get_transfer(user: User, reference: str) -> Transfer:
    transfer = (
        visible_transfers(user)
        .select_related("destination_branch", "destination_user")
        .filter(reference=reference.strip().upper())
    )
    found = transfer.first()
    if found is None:
        raise _not_found()
    return found


def _locked(user: User, reference: str) -> Transfer:
    found = get_transfer(user, reference)
    return Transfer.objects.select_for_update().select_related("source", "destination").get(pk=found.pk)


def uses_a2a(organisation: Organisation) -> bool:
    return A2AClient.objects.filter(organisation=organisation, revoked_at__isnull=True).exists()


def notice_days(source: Organisation, destination: Organisation) -> int:
    return rules.notice_days(uses_a2a(source), uses_a2a(destination))


def earliest_date(source: Organisation, destination: Organisation, requested_on: date) -> date:
    """The first day the transfer may run: the notice in working days after the request."""
    return get_calendar().add_business_days(requested_on, notice_days(source, destination))


# --------------------------------------------------------------------------------------------------
# Filing
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class TransferForm:
    """What an Administrator (or the operator's command) asks for."""

    source_org_id: str
    destination_org_id: str
    option: str  # Transfer.Option
    preferred_date: date | None
    source_contact: Contact
    destination_contact: Contact
    destination_branch_id: str = "001"
    destination_user_id: str = ""
    source_branch_ids: tuple[str, ...] = ()  # option BRANCHES
    claims_csv: bytes | str | None = None  # option LIST


def _organisation(org_id: str, field: str) -> Organisation:
    organisation = Organisation.objects.filter(org_id__iexact=org_id.strip()).first()
    if organisation is None:
        raise _invalid(field, f"There is no organisation {org_id.strip()[:16]!r}")
    if not organisation.enabled:
        raise _rule(field, f"{organisation.name} is disabled")
    return organisation


TYPE_WORDS = {Organisation.Type.CR: "a claimant representative", Organisation.Type.COMP: "a compensator"}


def other_organisation(organisation: Organisation, org_id: str) -> Organisation:
    """The organisation an Administrator of ``organisation`` names as the other side of a transfer,
    by its exact ID only (no listing, no partial match: which organisations use the portal is not
    shown), so that its name can be shown back before anything is filed. Refused (field
    ``otherOrganisation``, plain English): an unknown ID, one's own organisation, an organisation of
    the other type, a disabled one. :func:`request_transfer` checks the same again."""
    field = "otherOrganisation"
    wanted = org_id.strip().upper()[:16]
    if not wanted:
        raise _invalid(field, "Enter the other organisation's ID")
    found = Organisation.objects.filter(org_id__iexact=wanted).first()
    if found is None:
        raise _invalid(
            field, f"There is no organisation with the ID {wanted}: check it with the other organisation"
        )
    if found.pk == organisation.pk:
        raise _rule(field, f"{found.org_id} is your own organisation: enter the other organisation's ID")
    if found.org_type != organisation.org_type:
        raise _rule(
            field,
            f"{found.org_id} is not {TYPE_WORDS[Organisation.Type(organisation.org_type)]}: claims can only be "
            "transferred between organisations of the same type",
        )
    if not found.enabled:
        raise _rule(
            field, f"The organisation {found.org_id} is disabled: claims cannot be transferred to or from it"
        )
    return found


def _contact(contact: Contact, side: str) -> Contact:
    field = f"{side}Contact"
    name, email, phone = contact.name.strip(), contact.email.strip(), contact.phone.strip()
    if not 2 <= len(name) <= 120:
        raise _invalid(f"{field}Name", f"Enter the name of the {side} organisation's primary contact")
    try:
        validate_email(email)
    except ValidationError:
        raise _invalid(f"{field}Email", f"Enter the e-mail address of the {side} primary contact") from None
    digits = [c for c in phone if c.isdigit()]
    if not 10 <= len(digits) <= 15 or len(phone) > 30:
        raise _invalid(f"{field}Phone", f"Enter the telephone number of the {side} primary contact")
    return Contact(name, email, phone)


def _not_the_authoriser(contact: Contact, admin: User, side: str) -> None:
    """The primary contact must be someone other than the authorising Administrator."""
    same_email = contact.email.lower() == admin.email.lower()
    full_name = f"{admin.forename} {admin.surname}".strip().lower()
    if same_email or (full_name and contact.name.lower() == full_name):
        raise _rule(
            f"{side}ContactName",
            f"The {side} primary contact must be someone other than the authorising Administrator",
        )


def _branch(organisation: Organisation, branch_id: str, field: str) -> Branch:
    branch = Branch.objects.filter(organisation=organisation, branch_id=branch_id.strip().zfill(3)).first()
    if branch is None:
        raise _invalid(field, f"{organisation.name} has no branch {branch_id.strip()[:20]!r}")
    if not branch.enabled:
        raise _rule(field, f"Branch {branch.branch_id} of {organisation.name} is closed")
    return branch


def _user(organisation: Organisation, user_id: str, field: str) -> User | None:
    if not user_id.strip():
        return None
    user = User.objects.filter(organisation=organisation, user_id__iexact=user_id.strip()).first()
    if user is None:
        raise _invalid(field, f"{organisation.name} has no user {user_id.strip()[:50]!r}")
    if not user.is_enabled or not user.is_active:
        raise _rule(field, f"User {user.user_id} of {organisation.name} is disabled")
    return user


@dataclass(frozen=True)
class Checked:
    source: Organisation
    destination: Organisation
    source_contact: Contact
    destination_contact: Contact
    branch: Branch
    user: User | None
    source_branches: tuple[Branch, ...]
    lines: tuple[claim_list.ListedClaim, ...]


def check_form(form: TransferForm, *, contacts: bool = True) -> Checked:
    """The form's own rules (the caller's right to file it is checked by the caller). Without
    ``contacts`` (the operator's command) the primary contacts may be left out."""
    source = _organisation(form.source_org_id, "sourceOrganisation")
    destination = _organisation(form.destination_org_id, "destinationOrganisation")
    if source.pk == destination.pk:
        raise _rule("destinationOrganisation", "The sending and receiving organisations must be different")
    if source.org_type != destination.org_type:
        raise _rule(
            "destinationOrganisation",
            "Claims can only be transferred between organisations of the same type (claimant "
            "representative to claimant representative, compensator to compensator)",
        )
    if form.option not in Transfer.Option.values:
        raise _invalid("option", "Choose what to transfer")
    branch = _branch(destination, form.destination_branch_id or "001", "destinationBranch")
    user = _user(destination, form.destination_user_id, "destinationUser")
    source_branches: list[Branch] = []
    lines: list[claim_list.ListedClaim] = []
    if form.option == Transfer.Option.BRANCHES:
        wanted = [b for b in dict.fromkeys(b.strip() for b in form.source_branch_ids) if b]
        if not wanted:
            raise _invalid("sourceBranches", "Give the branch IDs of the sending organisation to transfer")
        source_branches = [_branch_any(source, b) for b in wanted]
    elif form.option == Transfer.Option.LIST:
        if not form.claims_csv:
            raise _invalid(claim_list.FIELD, "Upload the list of claims as a CSV file")
        lines = claim_list.parse(form.claims_csv, destination)
    return Checked(
        source,
        destination,
        _contact(form.source_contact, "sending") if contacts else form.source_contact,
        _contact(form.destination_contact, "receiving") if contacts else form.destination_contact,
        branch,
        user,
        tuple(source_branches),
        tuple(lines),
    )


def _branch_any(organisation: Organisation, branch_id: str) -> Branch:
    """A source branch (closed ones too: their claims may still need a new home)."""
    branch = Branch.objects.filter(organisation=organisation, branch_id=branch_id.zfill(3)).first()
    if branch is None:
        raise _invalid("sourceBranches", f"{organisation.name} has no branch {branch_id[:20]!r}")
    return branch


def _save(checked: Checked, form: TransferForm, **fields: object) -> Transfer:
    transfer = Transfer.objects.create(
        reference=f"TMP{uuid.uuid4().hex[:13]}",  # replaced by TR<pk> below, in the same transaction
        org_type=checked.source.org_type,
        source=checked.source,
        destination=checked.destination,
        option=form.option,
        destination_branch=checked.branch,
        destination_user=checked.user,
        source_contact_name=checked.source_contact.name,
        source_contact_email=checked.source_contact.email,
        source_contact_phone=checked.source_contact.phone,
        destination_contact_name=checked.destination_contact.name,
        destination_contact_email=checked.destination_contact.email,
        destination_contact_phone=checked.destination_contact.phone,
        **fields,
    )
    transfer.reference = f"TR{transfer.pk:06d}"
    transfer.save(update_fields=["reference"])
    TransferBranch.objects.bulk_create(
        TransferBranch(
            transfer=transfer,
            source_branch=b,
            destination_branch=checked.branch,
            destination_user=checked.user,
        )
        for b in checked.source_branches
    )
    TransferLine.objects.bulk_create(
        (
            TransferLine(
                transfer=transfer,
                row=line.row,
                application_id=line.application_id,
                destination_branch=line.destination_branch,
                destination_user=line.destination_user,
            )
            for line in checked.lines
        ),
        batch_size=5000,
    )
    return transfer


def request_transfer(admin: User, form: TransferForm) -> Transfer:
    """An Administrator of the sending or receiving organisation files a transfer request."""
    organisation = administration.check_administrator(admin)
    sides = (form.source_org_id.strip().upper(), form.destination_org_id.strip().upper())
    if organisation.org_id.upper() not in sides:
        raise _forbidden(NOT_A_PARTY)
    # the other organisation, in the words the request form shows beside its field
    other_organisation(organisation, sides[1] if sides[0] == organisation.org_id.upper() else sides[0])
    checked = check_form(form)
    if organisation.pk not in (checked.source.pk, checked.destination.pk):
        raise _forbidden(NOT_A_PARTY)
    side = "sending" if organisation.pk == checked.source.pk else "receiving"
    contact = checked.source_contact if side == "sending" else checked.destination_contact
    _not_the_authoriser(contact, admin, side)
    today = clock.today()
    if form.preferred_date is None:
        raise _invalid("preferredDate", "Enter the preferred date of the transfer")
    earliest = earliest_date(checked.source, checked.destination, today)
    if form.preferred_date < earliest:
        days = notice_days(checked.source, checked.destination)
        raise _rule(
            "preferredDate",
            f"The preferred date must be at least {days} working days from today, on or after "
            f"{earliest:%-d %B %Y}{' (either side uses A2A)' if days == rules.NOTICE_A2A else ''}",
        )
    with transaction.atomic():
        admins = {"source_admin": admin} if side == "sending" else {"destination_admin": admin}
        transfer = _save(
            checked,
            form,
            requested_by=admin,
            requested_at=clock.real_now(),
            requested_on=today,
            preferred_date=form.preferred_date,
            **admins,
        )
        for party in (checked.source, checked.destination):
            audit(admin, "transfer.requested", transfer.reference, organisation=party, option=form.option)
        _tell(
            transfer,
            f"Claims transfer {transfer.reference} requested",
            f"{admin.user_id} of {organisation.name} has asked for claims to be transferred from "
            f"{checked.source.name} to {checked.destination.name} ({Transfer.Option(form.option).label.lower()}), "
            f"preferably on {form.preferred_date:%-d %B %Y}. An Administrator of "
            f"{(checked.destination if side == 'sending' else checked.source).name} must now agree to it "
            "in the administration console.",
        )
    return transfer


# --------------------------------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------------------------------


def _other_side(admin: User, transfer: Transfer) -> str:
    """The side ``admin`` agrees for: the organisation that did not file the request."""
    organisation = administration.check_administrator(admin)
    requester_side = "sending" if transfer.source_admin_id else "receiving"
    side = "sending" if organisation.pk == transfer.source_id else "receiving"
    if side == requester_side:
        raise _forbidden(
            "Only an Administrator of the other organisation can agree to or decline this transfer"
        )
    return side


def _status(transfer: Transfer, *expected: str) -> None:
    if transfer.status not in expected:
        raise _rule("status", f"The transfer is {STATUS_WORDS[Transfer.Status(transfer.status)]}")


def agree(admin: User, reference: str) -> Transfer:
    with transaction.atomic():
        transfer = _locked(admin, reference)
        side = _other_side(admin, transfer)
        _status(transfer, Transfer.Status.REQUESTED)
        contact = (
            Contact(transfer.source_contact_name, transfer.source_contact_email, "")
            if side == "sending"
            else Contact(transfer.destination_contact_name, transfer.destination_contact_email, "")
        )
        _not_the_authoriser(contact, admin, side)
        if side == "sending":
            transfer.source_admin = admin
        else:
            transfer.destination_admin = admin
        transfer.status = Transfer.Status.AGREED
        transfer.agreed_at = clock.real_now()
        transfer.save()
        _audit_both(admin, transfer, "transfer.agreed")
        _tell(
            transfer,
            f"Claims transfer {transfer.reference} agreed",
            f"{admin.user_id} of {administration.check_administrator(admin).name} has agreed to the transfer of "
            f"claims from {transfer.source.name} to {transfer.destination.name}. The Claims Portal operator "
            "will now approve and schedule it, or tell you why not.",
        )
    return transfer


def decline(admin: User, reference: str, reason: str) -> Transfer:
    reason = _reason(reason)
    with transaction.atomic():
        transfer = _locked(admin, reference)
        _other_side(admin, transfer)
        _status(transfer, Transfer.Status.REQUESTED)
        transfer.status = Transfer.Status.DECLINED
        transfer.reason = reason
        transfer.decided_by = admin
        transfer.decided_at = clock.real_now()
        transfer.save()
        _audit_both(admin, transfer, "transfer.declined", reason=reason)
        _tell(
            transfer,
            f"Claims transfer {transfer.reference} declined",
            f"{admin.user_id} has declined the transfer of claims from {transfer.source.name} to "
            f"{transfer.destination.name}: {reason}",
        )
    return transfer


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 2000:
        raise _invalid("reason", "Give the reason (5 to 2000 characters)")
    return reason


# --------------------------------------------------------------------------------------------------
# The operator's decision
# --------------------------------------------------------------------------------------------------


def approve(operator: User, reference: str, scheduled_for: date | None) -> Transfer:
    """Approve and schedule: at least the notice (20 or 5 working days) after the request, and not in
    the past."""
    check_operator(operator)
    if scheduled_for is None:
        raise _invalid("scheduledFor", "Enter the date of the transfer")
    with transaction.atomic():
        transfer = _locked(operator, reference)
        _status(transfer, Transfer.Status.AGREED)
        earliest = max(
            earliest_date(transfer.source, transfer.destination, transfer.requested_on), clock.today()
        )
        if scheduled_for < earliest:
            raise _rule(
                "scheduledFor",
                f"The transfer cannot be scheduled before {earliest:%-d %B %Y} "
                f"({notice_days(transfer.source, transfer.destination)} working days' notice)",
            )
        transfer.status = Transfer.Status.APPROVED
        transfer.scheduled_for = scheduled_for
        transfer.decided_by = operator
        transfer.decided_at = clock.real_now()
        transfer.save()
        _audit_both(operator, transfer, "transfer.approved", scheduledFor=scheduled_for.isoformat())
        _tell(
            transfer,
            f"Claims transfer {transfer.reference} approved for {scheduled_for:%-d %B %Y}",
            f"The Claims Portal operator has approved the transfer of claims from {transfer.source.name} to "
            f"{transfer.destination.name}. It will run on {scheduled_for:%-d %B %Y}. Please tell the other "
            "parties to the claims beforehand: the portal tells them only at the moment of transfer.",
        )
    return transfer


def reject(operator: User, reference: str, reason: str) -> Transfer:
    check_operator(operator)
    reason = _reason(reason)
    with transaction.atomic():
        transfer = _locked(operator, reference)
        _status(transfer, Transfer.Status.AGREED, Transfer.Status.REQUESTED, Transfer.Status.APPROVED)
        transfer.status = Transfer.Status.REJECTED
        transfer.reason = reason
        transfer.decided_by = operator
        transfer.decided_at = clock.real_now()
        transfer.save()
        _audit_both(operator, transfer, "transfer.rejected", reason=reason)
        _tell(
            transfer,
            f"Claims transfer {transfer.reference} rejected",
            f"The Claims Portal operator has rejected the transfer of claims from {transfer.source.name} to "
            f"{transfer.destination.name}: {reason}",
        )
    return transfer


def operator_transfer(operator: User | None, form: TransferForm) -> Transfer:
    """The operator's command: a request approved at once, scheduled for today (no notice: the
    operator has agreed it with both organisations outside the portal)."""
    checked = check_form(form, contacts=False)
    with transaction.atomic():
        transfer = _save(
            checked,
            form,
            requested_by=operator,
            requested_at=clock.real_now(),
            requested_on=clock.today(),
            preferred_date=clock.today(),
            scheduled_for=clock.today(),
            status=Transfer.Status.APPROVED,
            decided_by=operator,
            decided_at=clock.real_now(),
        )
        _audit_both(
            operator, transfer, "transfer.approved", scheduledFor=clock.today().isoformat(), command=True
        )
    return transfer


# --------------------------------------------------------------------------------------------------
# Audit and e-mail
# --------------------------------------------------------------------------------------------------


def _audit_both(actor: User | None, transfer: Transfer, action: str, **details: object) -> None:
    """One entry in each organisation's audit trail."""
    for party in (transfer.source, transfer.destination):
        audit(actor, action, transfer.reference, organisation=party, **details)


def _tell(transfer: Transfer, subject: str, text: str) -> None:
    """E-mail both primary contacts."""
    body = (
        f"{text}\n\nTransfer {transfer.reference}: from {transfer.source.name} ({transfer.source.org_id}) to "
        f"{transfer.destination.name} ({transfer.destination.org_id}).\n"
        "See it in the Claims Portal administration console, under Claims transfers."
    )
    recipients = [
        e for e in dict.fromkeys([transfer.source_contact_email, transfer.destination_contact_email]) if e
    ]
    if not recipients:
        return
    send_mail(subject, body, None, recipients)


def tell_done(transfer: Transfer) -> None:
    _tell(
        transfer,
        f"Claims transfer {transfer.reference} done",
        f"The transfer of claims from {transfer.source.name} to {transfer.destination.name} has run: "
        f"{transfer.moved} moved, {transfer.skipped} skipped, {transfer.failed} failed. The report "
        "(claim by claim, with the reasons) can be downloaded from the administration console.",
    )
