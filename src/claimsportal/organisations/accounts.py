"""Signing in, passwords, one-time codes and user agreements (ADMINISTRATION.md §1.9, §2).

The rules, in the order a sign-in meets them:

1. An unknown user ID or a wrong password: "Login failed" (the same answer, after the same slow hash
   check, so neither the message nor the timing tells whether the user exists). Five consecutive
   failures clear Enabled (reason LOCKOUT): the sixth attempt fails even with the right password,
   with the same "Login failed" whatever the password (a locked account must not tell whether a
   guess was right, nor that it exists).
2. With the right password: a disabled or inactive user, or one of a disabled organisation: "Your
   login failed"; past the expiry date: Enabled is cleared (EXPIRED) and "Your account has expired";
   90 days since the last successful sign-in: Enabled is cleared (INACTIVITY) and "Your login failed".
3. The section chosen must suit the profiles (Claims Portal needs a claims profile, Administration the
   Administrator profile; the operator's staff, who belong to no organisation, use Administration
   only): "Your profile can't grant you access to the Rapid Claim Settlement web site". Claims users
   of an organisation that has not accepted the current user agreement are sent to their
   Administrator; an Administrator is shown the agreement to accept.
4. A password to change (first sign-in, reset by an administrator, or older than the maximum age of
   the rules in force): "Your password has expired", and the change is asked for before anything else.
5. In live mode, a one-time code is e-mailed to the user's MFA address and must be entered.

Throttles (``organisations.throttle``, real time), counted before the password is checked: sign-in
attempts per user ID and per address, and requests for a password-reset code per user ID and per
address (the limits below, each with its reason). Past a limit the attempt is refused, unchecked,
with a plain-English message saying when to try again.

Password rules: the 2023 rules (12+ characters, a special character from the portal's set, a digit,
upper and lower case, no "password"/"pwd"/"pswd", not the user's name, user ID or organisation ID,
not a previous password) and, with ``CLAIMSPORTAL_PASSWORD_RULES=2025``, a 60-day maximum age and no
reuse of the last 12 (web users).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import struct
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

import structlog
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.db.models.functions import Lower

from claimsportal.core import clock, retention
from claimsportal.organisations import credentials, throttle
from claimsportal.organisations.models import (
    AgreementAcceptance,
    OneTimeCode,
    PasswordHistory,
    User,
    UserAgreement,
)
from claimsportal.organisations.profiles import Profile
from claimsportal.protocols.timers import LONDON

log = structlog.get_logger(__name__)

# The messages of ADMINISTRATION.md §2.6, word for word.
LOGIN_FAILED = "Login failed"
YOUR_LOGIN_FAILED = "Your login failed"
ACCOUNT_EXPIRED = "Your account has expired"
PASSWORD_EXPIRED = "Your password has expired"  # noqa: S105 - a message, not a password
NEW_PASSWORD_NOT_SET = "New password not set"  # noqa: S105 - a message
WRONG_SECTION = "Your profile can't grant you access to the Rapid Claim Settlement web site"
WRONG_USER_OR_PASSWORD = "Wrong user name or password"  # noqa: S105 - a message
AGREEMENT_NOT_ACCEPTED = (
    "Your organisation has not accepted the current user agreement: please contact your Administrator"
)

MAX_FAILED_LOGINS = 5
CODE_MINUTES = 15
RESET_CODE_HOURS = 24
MAX_CODE_ATTEMPTS = 5
SPECIAL_CHARACTERS = "|!\"£$€%&/=?^'*+@°#,;:.-_()"
FORBIDDEN_WORDS = ("password", "pwd", "pswd")
HISTORY_2023 = 12  # "no reuse of previous passwords": the last 12 are kept
HISTORY_2025 = 12
MAX_AGE_2025_DAYS = 60
_DUMMY_HASH = make_password("a-password-nobody-has-0123456789!")

# Throttles (real time; every attempt counted before it is checked, in the database for every process).
SIGN_IN_WINDOW = timedelta(minutes=15)
# Attempts at one user ID, from anywhere: the lockout stops a known user after 5 wrong passwords,
# but not guessing at user IDs that do not exist (or at a locked one); 10 leaves room for typing.
SIGN_IN_ACCOUNT_LIMIT = 10
# Attempts from one address, whatever the user ID: spraying one password over many user IDs. An
# office behind one address signs in many people, so a successful sign-in is taken back.
SIGN_IN_ADDRESS_LIMIT = 30
RESET_WINDOW = timedelta(hours=1)
# Password-reset codes for one user ID: each e-mails the Administrator and opens 5 fresh guesses.
RESET_ACCOUNT_LIMIT = 3
# Password-reset code requests from one address, whatever the user ID (flooding several mailboxes).
RESET_ADDRESS_LIMIT = 10
TOO_MANY_SIGN_INS = "Too many sign-in attempts: wait {minutes} minutes, then try again"
TOO_MANY_RESETS = "Too many verification codes have been asked for: wait {minutes} minutes, then try again"
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "$": "s", "@": "a", "!": "i"})


class Section(StrEnum):
    CLAIMS = "claims"
    ADMIN = "admin"


class Disabled(StrEnum):
    LOCKOUT = "LOCKOUT"
    INACTIVITY = "INACTIVITY"
    EXPIRED = "EXPIRED"
    ADMIN = "ADMIN"


@dataclass
class SignInOutcome:
    """What a sign-in attempt came to: refused with a message, or a user with steps still to do."""

    user: User | None = None
    message: str = ""
    must_change_password: bool = False
    needs_code: bool = False
    needs_agreement: bool = False
    retry_after: int = 0  # seconds, when a throttle refused the attempt

    @property
    def refused(self) -> bool:
        return self.user is None


@dataclass
class PasswordProblems:
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.messages)


def mfa_required() -> bool:
    """MFA is required in live mode; training and sandbox deployments sign in without it."""
    return str(getattr(settings, "CLAIMSPORTAL_MODE", "live")) == "live"


def password_rules() -> str:
    return str(getattr(settings, "CLAIMSPORTAL_PASSWORD_RULES", "2023"))


# --------------------------------------------------------------------------------------------------
# User agreements
# --------------------------------------------------------------------------------------------------


def current_agreement() -> UserAgreement | None:
    return UserAgreement.objects.filter(published_at__lte=clock.real_now()).order_by("-published_at").first()


def agreement_accepted(organisation_pk: int) -> bool:
    """True when the organisation accepted the current agreement (or none has been published)."""
    agreement = current_agreement()
    return (
        agreement is None
        or AgreementAcceptance.objects.filter(organisation_id=organisation_pk, agreement=agreement).exists()
    )


def publish_agreement(*, version: str, title: str, text: str) -> UserAgreement:
    return UserAgreement.objects.create(
        version=version, title=title, text=text, published_at=clock.real_now()
    )


def accept_agreement(user: User, agreement: UserAgreement) -> AgreementAcceptance:
    """An Administrator accepts on behalf of the organisation; access is restored at once."""
    if Profile.ADMINISTRATOR not in user.profile_set or user.organisation_id is None:
        raise PermissionError("Only an Administrator can accept the user agreement for the organisation")
    acceptance, _created = AgreementAcceptance.objects.get_or_create(
        organisation_id=user.organisation_id,
        agreement=agreement,
        defaults={"accepted_by": user, "accepted_at": clock.real_now()},
    )
    log.info(
        "agreement.accepted", organisation=user.organisation_id, version=agreement.version, user=user.user_id
    )
    return acceptance


# --------------------------------------------------------------------------------------------------
# Passwords
# --------------------------------------------------------------------------------------------------


def password_problems(user: User, password: str) -> PasswordProblems:
    """Every rule the new password breaks, each as a message a person can act on."""
    organisation = user.organisation.org_id if user.organisation else ""
    problems = PasswordProblems()
    problems.messages.extend(
        strength_problems(
            password,
            (
                ("your user ID", user.user_id),
                ("your name", user.forename),
                ("your name", user.surname),
                ("your organisation ID", organisation),
            ),
        )
    )
    keep = HISTORY_2025 if password_rules() == "2025" else HISTORY_2023
    previous = [
        user.password,
        *PasswordHistory.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("password", flat=True)[:keep],
    ]
    if any(check_password(password, old) for old in previous if old):
        problems.messages.append(f"must not be one of your last {keep} passwords")
    return problems


def strength_problems(password: str, personal: Iterable[tuple[str, str]]) -> list[str]:
    """The 2023 rules (ADMINISTRATION.md §2.3) for any password, web or A2A: length, character
    classes, no "password" or an abbreviation of it, none of the ``personal`` (label, value) pairs."""
    messages: list[str] = []
    add = messages.append
    if len(password) < 12:
        add("must be at least 12 characters long")
    if not any(c in SPECIAL_CHARACTERS for c in password):
        add(f"must contain a special character from {SPECIAL_CHARACTERS}")
    if not re.search(r"[0-9]", password):
        add("must contain a digit")
    if not re.search(r"[A-Z]", password) or not re.search(r"[a-z]", password):
        add("must contain upper- and lower-case letters")
    lowered = password.lower()
    plain = lowered.translate(LEET)
    if any(word in lowered or word in plain for word in FORBIDDEN_WORDS):
        add('must not contain "password" or an abbreviation of it (pwd, pswd)')
    for label, value in personal:
        if value and len(value) >= 3 and value.lower() in lowered:
            add(f"must not contain {label}")
            break
    return messages


def password_expired(user: User, now: datetime | None = None) -> bool:
    if user.must_change_password:
        return True
    if password_rules() != "2025" or user.password_changed_at is None:
        return False
    return _days_since(user.password_changed_at, now) >= MAX_AGE_2025_DAYS


def _days_since(moment: datetime, now: datetime | None = None) -> int:
    """Calendar days (Europe/London) from ``moment`` to now: the rules count days, not hours."""
    return ((now or clock.real_now()).astimezone(LONDON).date() - moment.astimezone(LONDON).date()).days


def set_password(user: User, new_password: str, *, must_change: bool = False) -> None:
    """Store a new password (the old hash goes to the history)."""
    now = clock.real_now()
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
        stale = (
            PasswordHistory.objects.filter(user=user)
            .order_by("-created_at")
            .values_list("pk", flat=True)[24:]
        )
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.password = make_password(new_password)
    user.password_changed_at = now
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    credentials.bump()


def change_password(user: User, current: str, new: str, confirm: str) -> PasswordProblems:
    """The user's own change (first sign-in, expired password). Empty problems: changed."""
    problems = PasswordProblems()
    if not check_password(current, user.password):
        problems.messages.append("the current password is not correct")
    elif new != confirm:
        problems.messages.append("the new password and its confirmation do not match")
    else:
        problems = password_problems(user, new)
    if not problems:
        with transaction.atomic():
            set_password(user, new)
        log.info("password.changed", user=user.user_id)
    return problems


# --------------------------------------------------------------------------------------------------
# Signing in
# --------------------------------------------------------------------------------------------------


def _find(user_id: str) -> User | None:
    wanted = (user_id or "").strip().lower()
    if not wanted:
        return None
    return (
        User.objects.select_related("organisation").annotate(uid=Lower("user_id")).filter(uid=wanted).first()
    )


def disable(user: User, reason: Disabled) -> None:
    user.is_enabled = False
    user.disabled_reason = reason.value
    user.disabled_at = clock.real_now()
    if reason is Disabled.ADMIN:
        user.is_active = False  # §2.4: an Administrator's un-tick also clears Active
    with transaction.atomic():
        user.save(update_fields=["is_enabled", "is_active", "disabled_reason", "disabled_at"])
        credentials.bump()  # with the change: the A2A API's cached acting users see it at once
    log.info("user.disabled", user=user.user_id, reason=reason.value)


def _idle_since(user: User) -> datetime:
    return user.last_login or user.created_at


def _sign_in_keys(user_id: str, address: str | None) -> tuple[str, str | None]:
    account = f"sign-in:user:{(user_id or '').strip().lower()[:150]}"
    return account, (f"sign-in:address:{address}" if address else None)


def sign_in(
    user_id: str, password: str, section: Section | str, *, address: str | None = None
) -> SignInOutcome:
    """Check one sign-in attempt (the password step). Writes the failure count and automatic
    disabling; the caller completes the sign-in with :func:`complete_sign_in` once every step is done.

    The attempt is counted first against the throttles (per user ID, and per ``address`` when the
    caller gives one: the web gives ``REMOTE_ADDR``); over a limit it is refused unchecked."""
    account_key, address_key = _sign_in_keys(user_id, address)
    rules = [throttle.Rule(account_key, SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_WINDOW)]
    if address_key is not None:
        rules.append(throttle.Rule(address_key, SIGN_IN_ADDRESS_LIMIT, SIGN_IN_WINDOW))
    refusal = throttle.hit(rules)
    if refusal is not None:
        log.info("sign_in.throttled", key=refusal.rule.key, retry_after=refusal.retry_after)
        return SignInOutcome(
            message=TOO_MANY_SIGN_INS.format(minutes=refusal.minutes), retry_after=refusal.retry_after
        )
    outcome = _sign_in(user_id, password, section)
    if not outcome.refused:
        throttle.forget(account_key)
        if address_key is not None:
            throttle.uncount(address_key)
    return outcome


def _sign_in(user_id: str, password: str, section: Section | str) -> SignInOutcome:
    user = _find(user_id)
    if user is None:
        check_password(password or "", _DUMMY_HASH)
        return SignInOutcome(message=LOGIN_FAILED)
    now = clock.real_now()
    if not user.is_enabled and user.disabled_reason == Disabled.LOCKOUT.value:
        # Locked by wrong passwords: the same answer as a wrong password (and an unknown user), after
        # the same hash check, whatever the password; the reset flow or an Administrator unlocks it.
        check_password(password or "", user.password)
        return SignInOutcome(message=LOGIN_FAILED)
    if not check_password(password or "", user.password):
        if user.is_enabled:
            user.failed_logins += 1
            user.save(update_fields=["failed_logins"])
            if user.failed_logins >= MAX_FAILED_LOGINS:
                disable(user, Disabled.LOCKOUT)
        return SignInOutcome(message=LOGIN_FAILED)
    if not user.is_enabled or not user.is_active:
        return SignInOutcome(message=YOUR_LOGIN_FAILED)
    if user.expiry_date is not None and clock.real_today() > user.expiry_date:
        disable(user, Disabled.EXPIRED)
        return SignInOutcome(message=ACCOUNT_EXPIRED)
    if _days_since(_idle_since(user), now) >= retention.days(retention.IDLE_USERS):
        disable(user, Disabled.INACTIVITY)
        return SignInOutcome(message=YOUR_LOGIN_FAILED)
    wanted = Section(section)
    if user.organisation is None and user.is_operator:
        # The operator's staff belong to no organisation: they use the Administration section (the
        # operator's console) only, and no organisation's user agreement applies to them.
        if wanted is not Section.ADMIN:
            return SignInOutcome(message=WRONG_SECTION)
        _clear_failures(user)
        return SignInOutcome(
            user=user, must_change_password=password_expired(user, now), needs_code=mfa_required()
        )
    if user.organisation is None or not user.organisation.enabled:
        return SignInOutcome(message=YOUR_LOGIN_FAILED)
    if wanted is Section.CLAIMS and not user.claims_profiles():
        return SignInOutcome(message=WRONG_SECTION)
    # The Administration section: Administrators, and the archive search's users (§4.6).
    administrator = Profile.ADMINISTRATOR in user.profile_set
    if wanted is Section.ADMIN and not (administrator or Profile.SEARCH_ARCHIVE in user.profile_set):
        return SignInOutcome(message=WRONG_SECTION)
    accepted = agreement_accepted(user.organisation.pk)
    if (wanted is Section.CLAIMS or not administrator) and not accepted:
        return SignInOutcome(message=AGREEMENT_NOT_ACCEPTED)
    _clear_failures(user)
    return SignInOutcome(
        user=user,
        must_change_password=password_expired(user, now),
        needs_code=mfa_required(),
        needs_agreement=wanted is Section.ADMIN and administrator and not accepted,
    )


def _clear_failures(user: User) -> None:
    if user.failed_logins:
        user.failed_logins = 0
        user.save(update_fields=["failed_logins"])


def complete_sign_in(user: User) -> None:
    user.last_login = clock.real_now()
    user.save(update_fields=["last_login"])
    log.info("user.signed_in", user=user.user_id)


# --------------------------------------------------------------------------------------------------
# One-time codes: MFA at sign-in, password reset
# --------------------------------------------------------------------------------------------------


def _new_code(user: User, purpose: OneTimeCode.Purpose, lifetime: timedelta) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.real_now()
    OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    OneTimeCode.objects.create(
        user=user, purpose=purpose, code_hash=make_password(code), created_at=now, expires_at=now + lifetime
    )
    return code


def send_sign_in_code(user: User) -> None:
    """E-mail a sign-in code, unless the user signs in with an authenticator app."""
    if user.totp_enabled:
        return
    code = _new_code(user, OneTimeCode.Purpose.SIGN_IN, timedelta(minutes=CODE_MINUTES))
    send_mail(
        "Your Claims Portal sign-in code",
        f"Your code is {code}. It is valid for {CODE_MINUTES} minutes. If you did not try to sign in, "
        "tell your Administrator.",
        None,
        [user.email],
    )


def check_code(user: User, purpose: OneTimeCode.Purpose, code: str) -> bool:
    """True once for the right, unexpired code; a code allows at most 5 attempts."""
    now = clock.real_now()
    with transaction.atomic():
        current = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if current is None or current.attempts >= MAX_CODE_ATTEMPTS:
            return False
        if not check_password((code or "").strip(), current.code_hash):
            current.attempts += 1
            current.save(update_fields=["attempts"])
            return False
        current.used_at = now
        current.save(update_fields=["used_at"])
        return True


# --- TOTP (an authenticator app), the alternative to the e-mailed code -------------------------------

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
TOTP_WINDOW = 1  # one step either side, for clock drift


def _totp(secret: str, step: int) -> str:
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def _step(now: datetime | None = None) -> int:
    return int((now or clock.real_now()).timestamp()) // TOTP_STEP_SECONDS


def start_totp_setup(user: User) -> str:
    """A new secret for the user's authenticator app; returns the otpauth:// URI to show as text or a
    QR code. TOTP is not used until :func:`confirm_totp` sees a code from the app."""
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    user.totp_secret = secret
    user.totp_enabled = False
    user.save(update_fields=["totp_secret", "totp_enabled"])
    label = urllib.parse.quote(f"Claims Portal:{user.user_id}")
    return f"otpauth://totp/{label}?secret={secret}&issuer=Claims%20Portal&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}"


def _check_totp(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    now_step = _step()
    for step in range(now_step - TOTP_WINDOW, now_step + TOTP_WINDOW + 1):
        if step > user.totp_last_step and hmac.compare_digest(
            _totp(user.totp_secret, step), (code or "").strip()
        ):
            user.totp_last_step = step  # a code works once
            user.save(update_fields=["totp_last_step"])
            return True
    return False


def confirm_totp(user: User, code: str) -> bool:
    if _check_totp(user, code):
        user.totp_enabled = True
        user.save(update_fields=["totp_enabled"])
        log.info("mfa.totp_enabled", user=user.user_id)
        return True
    return False


def check_sign_in_code(user: User, code: str) -> bool:
    """The second factor of a sign-in: the authenticator app's code when set up, else the e-mailed one."""
    if user.totp_enabled:
        return _check_totp(user, code)
    return check_code(user, OneTimeCode.Purpose.SIGN_IN, code)


@dataclass(frozen=True)
class ResetRequest:
    """What the reset screen says; a code is e-mailed only when the details match a user allowed to
    reset. The answer does not say which of user ID and e-mail was wrong."""

    message: str
    sent: bool


RESET_SENT = "If the details match an account, a verification code has been sent to its e-mail address"
RESET_ADMIN_EXPIRED = (
    "Your account has expired: ask another Administrator of your organisation to extend your expiry date"
)


def may_reset_own_password(user: User) -> bool:
    """§2.4: self-service reset is for Administrators (handlers ask their Administrator) and for an
    unrepresented claimant, the only user of their own account; an
    Administrator disabled only by lockout or inactivity may use it, and is re-enabled by it."""
    own_account = user.organisation is not None and user.organisation.litigant_in_person
    if (Profile.ADMINISTRATOR not in user.profile_set and not own_account) or not user.is_active:
        return False
    if user.expiry_date is not None and clock.real_today() > user.expiry_date:
        return False
    return user.is_enabled or user.disabled_reason in (Disabled.LOCKOUT.value, Disabled.INACTIVITY.value)


def send_welcome(user: User) -> None:
    """A new Administrator (approved registration) gets their user ID and a code to set a password."""
    code = _new_code(user, OneTimeCode.Purpose.PASSWORD_RESET, timedelta(hours=RESET_CODE_HOURS))
    send_mail(
        "Welcome to the Claims Portal",
        f"Your organisation's registration has been approved. Your user ID is {user.user_id}. To set your "
        f"password, choose 'Forgotten your password or first sign-in?' on the sign-in page and enter the "
        f"verification code {code} within {RESET_CODE_HOURS} hours. Then sign in to the Administration "
        "section to accept the user agreement and create your users.",
        None,
        [user.email],
    )


def request_password_reset(user_id: str, email: str, *, address: str | None = None) -> ResetRequest:
    """E-mail a reset code when the details match an Administrator allowed to reset. Counted first
    against the throttles (per user ID typed, and per ``address`` when given), whether or not the
    details match, so that the refusal tells nothing about the account."""
    rules = [
        throttle.Rule(
            f"reset:user:{(user_id or '').strip().lower()[:150]}", RESET_ACCOUNT_LIMIT, RESET_WINDOW
        )
    ]
    if address:
        rules.append(throttle.Rule(f"reset:address:{address}", RESET_ADDRESS_LIMIT, RESET_WINDOW))
    refusal = throttle.hit(rules)
    if refusal is not None:
        log.info("password_reset.throttled", key=refusal.rule.key, retry_after=refusal.retry_after)
        return ResetRequest(TOO_MANY_RESETS.format(minutes=refusal.minutes), sent=False)
    user = _find(user_id)
    if user is None or user.email.lower() != (email or "").strip().lower():
        return ResetRequest(WRONG_USER_OR_PASSWORD, sent=False)
    if user.expiry_date is not None and clock.real_today() > user.expiry_date:
        return ResetRequest(RESET_ADMIN_EXPIRED, sent=False)
    if not may_reset_own_password(user):
        return ResetRequest(RESET_SENT, sent=False)
    code = _new_code(user, OneTimeCode.Purpose.PASSWORD_RESET, timedelta(hours=RESET_CODE_HOURS))
    send_mail(
        "Reset your Claims Portal password",
        f"Your verification code is {code}. It is valid for {RESET_CODE_HOURS} hours.",
        None,
        [user.email],
    )
    return ResetRequest(RESET_SENT, sent=True)


def complete_password_reset(user_id: str, code: str, new: str, confirm: str) -> PasswordProblems:
    user = _find(user_id)
    problems = PasswordProblems()
    if user is None or not may_reset_own_password(user):
        problems.messages.append("the verification code is not valid")
        return problems
    if new != confirm:
        problems.messages.append("the new password and its confirmation do not match")
        return problems
    problems = password_problems(user, new)
    if problems:
        return problems
    if not check_code(user, OneTimeCode.Purpose.PASSWORD_RESET, code):
        problems.messages.append("the verification code is not valid or has expired")
        return problems
    with transaction.atomic():
        set_password(user, new)
        if not user.is_enabled:
            user.is_enabled = True
            user.disabled_reason = ""
            user.disabled_at = None
        user.failed_logins = 0
        user.last_login = clock.real_now()  # a reset is activity: it must not be disabled again as idle
        user.save(
            update_fields=["is_enabled", "disabled_reason", "disabled_at", "failed_logins", "last_login"]
        )
        throttle.forget(_sign_in_keys(user.user_id, None)[0])
    log.info("password.reset", user=user.user_id)
    return problems


# --------------------------------------------------------------------------------------------------
# Scheduled jobs (run by the timer worker)
# --------------------------------------------------------------------------------------------------

EXPIRY_REMINDER_DAYS = 14


def send_expiry_reminders(today: date | None = None) -> int:
    """E-mail each enabled, active Administrator whose own expiry date is 14 days away, once."""
    day = today or clock.real_today()
    target = day + timedelta(days=EXPIRY_REMINDER_DAYS)
    sent = 0
    admins = User.objects.filter(
        expiry_date=target, is_enabled=True, is_active=True, organisation__isnull=False
    ).exclude(expiry_reminder_sent_for=target)
    for user in admins:
        if Profile.ADMINISTRATOR not in user.profile_set:
            continue
        send_mail(
            "Your Claims Portal account expires in 14 days",
            f"Your Administrator account {user.user_id} expires on {target:%d %B %Y}. Sign in to the "
            "Administration section and extend your expiry date, or ask another Administrator to.",
            None,
            [user.email],
        )
        User.objects.filter(pk=user.pk).update(expiry_reminder_sent_for=target)
        sent += 1
    return sent


def disable_idle_users(now: datetime | None = None, *, idle_days: int | None = None) -> int:
    """Clear Enabled for users without a sign-in for ``idle_days`` (the ``idle-users`` row of
    ``core.RetentionPeriod``: 90 days), set-based."""
    now = now or clock.real_now()
    days = retention.days(retention.IDLE_USERS) if idle_days is None else idle_days
    today = now.astimezone(LONDON).date()
    # Idle when the last sign-in was 90 or more calendar days ago: before the start of the 89th day back.
    cutoff = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tzinfo=LONDON)
    idle = User.objects.filter(is_enabled=True, organisation__isnull=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, created_at__lt=cutoff)
    )
    with transaction.atomic():
        disabled = idle.update(is_enabled=False, disabled_reason=Disabled.INACTIVITY.value, disabled_at=now)
        if disabled:
            credentials.bump()
    return disabled


def delete_long_disabled_users(now: datetime | None = None, *, disabled_for: timedelta | None = None) -> int:
    """Delete users disabled for ``disabled_for`` (the ``disabled-users`` row of
    ``core.RetentionPeriod``: 12 months) who acted on no claim that still exists."""
    from claimsportal.claims.models import Claim, ClaimEvent

    now = now or clock.real_now()
    cutoff = now - (retention.period(retention.DISABLED_USERS) if disabled_for is None else disabled_for)
    candidates = User.objects.filter(is_enabled=False, disabled_at__lt=cutoff, organisation__isnull=False)
    acted = ClaimEvent.objects.filter(actor_user_id__isnull=False).values("actor_user_id")
    candidates = candidates.exclude(pk__in=acted)
    for column in ("cr_allocated_user_id", "comp_allocated_user_id", "locked_by_id"):
        candidates = candidates.exclude(
            pk__in=Claim.objects.filter(**{f"{column}__isnull": False}).values(column)
        )
    deleted = 0
    for user in candidates:
        try:
            with transaction.atomic():
                user.delete()
            deleted += 1
        except (ProtectedError, IntegrityError):  # still referenced (e.g. it accepted an agreement): keep
            log.info("user.kept", user=user.user_id)
    return deleted
