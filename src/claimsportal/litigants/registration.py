"""Self-registration of an unrepresented claimant (WORKFLOW.md §1.1; ADMINISTRATION.md §8.8).

No regulator number and no operator's approval: the identity checks a person can pass are done here —
the e-mail address is proved by a code sent to it, and every sign-in afterwards asks for the one-time
code sent to that same verified address (the portal's MFA, ``organisations.accounts``), or an
authenticator app the person sets up later. The account is a one-person claimant-side organisation
(``Organisation.litigant_in_person``) whose one user holds the RTA and EL/PL claim handler profiles;
``claims.litigant_rules`` limits it to one claim.

Steps (the web pages ask one question each): :func:`start` (name and e-mail: a code is sent),
:func:`verify` (the code), :func:`create_account` (user ID, password, the user agreement accepted).
An address that already has an account gets an e-mail saying so instead of a code, and the page
says the same either way: nobody learns from the portal whether an address is registered.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import structlog
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.litigants.models import EmailVerification
from claimsportal.organisations import accounts, throttle
from claimsportal.organisations.models import AgreementAcceptance, Organisation, User
from claimsportal.organisations.profiles import Profile
from claimsportal.organisations.services import USER_ID_PATTERN, create_organisation, create_user, invalid
from claimsportal.protocols.errors import ErrorDetail, PortalError

log = structlog.get_logger(__name__)

CODE_MINUTES = 30
MAX_CODE_ATTEMPTS = 5
# Codes asked for one address (each e-mails it) and from one network address, per hour.
EMAIL_LIMIT = 3
ADDRESS_LIMIT = 10
WINDOW = timedelta(hours=1)
PROFILES = [Profile.RTA_CLAIM_HANDLER.value, Profile.ELPL_CLAIM_HANDLER.value]
TOO_MANY = "Too many codes have been asked for: wait {minutes} minutes, then try again"


@dataclass(frozen=True)
class Started:
    token: str  # kept by the browser's session
    refused: str = ""  # a throttle's message, when nothing was sent


def _name(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not 1 <= len(value) <= 25:
        raise invalid(field, f"enter your {label} (up to 25 characters, as on the claim form)")
    return value


def _email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise invalid(
            "email", "enter an e-mail address in the correct format, like name@example.com"
        ) from None
    return value


def existing_litigant(email: str) -> User | None:
    return (
        User.objects.select_related("organisation")
        .annotate(mail=Lower("email"))
        .filter(mail=email.lower(), organisation__litigant_in_person=True)
        .first()
    )


def start(forename: str, surname: str, email: str, *, address: str | None = None) -> Started:
    """Check the name and address, then e-mail a code to prove the address (or, if it already has an
    unrepresented claimant's account, a reminder of its user ID). Counted against the throttles first."""
    forename = _name(forename, "forename", "first name")
    surname = _name(surname, "surname", "last name")
    email = _email(email)
    rules = [throttle.Rule(f"litigant-code:email:{email.lower()[:150]}", EMAIL_LIMIT, WINDOW)]
    if address:
        rules.append(throttle.Rule(f"litigant-code:address:{address}", ADDRESS_LIMIT, WINDOW))
    refusal = throttle.hit(rules)
    if refusal is not None:
        return Started("", TOO_MANY.format(minutes=refusal.minutes))
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.real_now()
    token = secrets.token_urlsafe(32)
    EmailVerification.objects.create(
        token=token,
        email=email,
        forename=forename,
        surname=surname,
        code_hash=make_password(code),
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    known = existing_litigant(email)
    if known is not None:
        send_mail(
            "Your Claims Portal account",
            f"Someone (perhaps you) started to register this e-mail address on the Claims Portal as an "
            f"unrepresented claimant. You already have an account: your user ID is {known.user_id}. "
            "Sign in with it; if you have forgotten your password, use 'Forgotten your password' on the "
            "sign-in page. If this was not you, you need do nothing.",
            None,
            [known.email],
        )
    else:
        send_mail(
            "Confirm your e-mail address for the Claims Portal",
            f"Your confirmation code is {code}. It is valid for {CODE_MINUTES} minutes. If you did not ask "
            "to register on the Claims Portal, you need do nothing.",
            None,
            [email],
        )
    log.info("litigant.code_sent", known=known is not None)
    return Started(token)


def _verification(token: str) -> EmailVerification:
    found = EmailVerification.objects.select_for_update().filter(token=token or "-").first()
    if found is None or found.used_at is not None:
        raise PortalError(
            "BUSINESS_RULE",
            "Your registration has timed out: start again",
            [ErrorDetail("code", "start the registration again")],
        )
    return found


def verify(token: str, code: str) -> bool:
    """True when ``code`` is the one sent (within its 30 minutes and 5 attempts)."""
    with transaction.atomic():
        found = _verification(token)
        if found.verified_at is not None:
            return True
        now = clock.real_now()
        if found.attempts >= MAX_CODE_ATTEMPTS or now > found.expires_at:
            return False
        found.attempts += 1
        ok = check_password((code or "").strip().replace(" ", ""), found.code_hash)
        if ok:
            found.verified_at = now
        found.save(update_fields=["attempts", "verified_at"])
    return ok


def verified_details(token: str) -> EmailVerification | None:
    found = EmailVerification.objects.filter(token=token or "-", used_at__isnull=True).first()
    return found if found is not None and found.verified_at is not None else None


def check_user_id(user_id: str) -> str:
    user_id = (user_id or "").strip()
    if "@" in user_id or not USER_ID_PATTERN.match(user_id):
        raise invalid(
            "userId",
            "must be 3 to 50 letters, digits, full stops, hyphens or underscores, and not an e-mail address",
        )
    if User.objects.annotate(uid=Lower("user_id")).filter(uid=user_id.lower()).exists():
        raise invalid("userId", "is already taken: choose another")
    return user_id


def check_password_choice(token: str, user_id: str, password: str, confirm: str) -> list[str]:
    """What is wrong with the password chosen (the portal's rules); empty when it is fine."""
    if password != confirm:
        return ["the password and its confirmation do not match"]
    details = verified_details(token)
    personal = [("your user ID", user_id)]
    if details is not None:
        personal += [("your name", details.forename), ("your name", details.surname)]
    return accounts.strength_problems(password, personal)


def create_account(token: str, *, user_id: str, password: str, agreement_accepted: bool) -> User:
    """The account: a one-person claimant-side organisation and its user, signed in afterwards with
    the verified e-mail address's one-time codes. Audited. One transaction."""
    if not agreement_accepted:
        raise invalid("agreement", "you must accept the user agreement to use the Claims Portal")
    with transaction.atomic():
        details = _verification(token)
        if details.verified_at is None:
            raise invalid("code", "confirm your e-mail address first")
        if existing_litigant(details.email) is not None:
            raise invalid("email", "already has an account: sign in with it instead")
        user_id = check_user_id(user_id)
        problems = check_password_choice(token, user_id, password, password)
        if problems:
            raise invalid("password", "; ".join(problems))
        full_name = f"{details.forename} {details.surname}"
        organisation = create_organisation(org_type="CR", name=full_name[:120], claim_types="RTA,ELPL")
        organisation.litigant_in_person = True
        organisation.email = details.email
        organisation.save(update_fields=["litigant_in_person", "email"])
        try:
            user = create_user(
                organisation=organisation,
                user_id=user_id,
                email=details.email,
                profiles=PROFILES,
                forename=details.forename,
                surname=details.surname,
                password=password,
            ).user
        except IntegrityError:
            raise invalid("userId", "is already taken: choose another") from None
        user.must_change_password = False  # chosen by the person, not issued
        user.save(update_fields=["must_change_password"])
        agreement = accounts.current_agreement()
        if agreement is not None:
            AgreementAcceptance.objects.get_or_create(
                organisation=organisation,
                agreement=agreement,
                defaults={"accepted_by": user, "accepted_at": clock.real_now()},
            )
        details.used_at = clock.real_now()
        details.save(update_fields=["used_at"])
        audit(user, "litigant.registered", organisation.org_id, organisation=organisation, userId=user_id)
    log.info("litigant.registered", organisation=organisation.org_id, user=user.user_id)
    return user


def is_litigant(user: object) -> bool:
    organisation = getattr(user, "organisation", None)
    return isinstance(organisation, Organisation) and organisation.litigant_in_person
