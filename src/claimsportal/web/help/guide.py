"""The troubleshooting guide's entries (ADMINISTRATION.md §2.6): each message the sign-in pages show,
word for word (``organisations.accounts``), its cause, and what to do. Every sign-in error links to
its entry (``anchor_for``)."""

from __future__ import annotations

from dataclasses import dataclass

from claimsportal.organisations import accounts


@dataclass(frozen=True)
class Entry:
    anchor: str
    message: str
    cause: str
    what_to_do: str


ENTRIES = [
    Entry(
        "login-failed",
        accounts.LOGIN_FAILED,
        "The user ID or the password is wrong (the password is case-sensitive: check Caps Lock), or you "
        "used your training site details on the live site (or the other way round), or you are an "
        "Administrator who left Section on \u201cClaims Portal\u201d.",
        "Type your user ID and password again carefully. Administrators choose \u201cAdministration\u201d "
        "in Section. If you have forgotten your user ID, ask for it to be e-mailed to you. After 5 wrong "
        "attempts your account is locked.",
    ),
    Entry(
        "your-login-failed",
        accounts.YOUR_LOGIN_FAILED,
        "Your account is disabled: after 5 wrong passwords in a row, after 90 days without signing in, or "
        "by an Administrator.",
        "Claim handlers ask an Administrator of their organisation to enable the account. Administrators "
        "(and unrepresented claimants) can reset their own password, which enables it again.",
    ),
    Entry(
        "account-expired",
        accounts.ACCOUNT_EXPIRED,
        "The expiry date of your account has passed: it has not been extended by an Administrator.",
        "Ask an Administrator of your organisation to extend it. An Administrator whose own account has "
        "expired, or an unrepresented claimant, contacts the helpdesk.",
    ),
    Entry(
        "password-expired",
        accounts.PASSWORD_EXPIRED,
        "Your user ID and password are right but the password has expired. It is also shown when you "
        "sign in for the first time.",
        "Enter your current password, then your new password twice.",
    ),
    Entry(
        "new-password-not-set",
        accounts.NEW_PASSWORD_NOT_SET,
        "The new password was not saved: it breaks one of the password rules, or the two copies of it do "
        "not match.",
        "Read the rules shown beside the password and try again. It must be at least 12 characters, with "
        "upper- and lower-case letters, a digit and a special character.",
    ),
    Entry(
        "wrong-section",
        accounts.WRONG_SECTION,
        "Your profiles do not open the section you chose: for example an Administrator-only account "
        "choosing \u201cClaims Portal\u201d, or a claim handler choosing \u201cAdministration\u201d.",
        "Sign in again and choose the other Section: \u201cClaims Portal\u201d to work on claims, "
        "\u201cAdministration\u201d for the administration console.",
    ),
    Entry(
        "wrong-user-name-or-password",
        accounts.WRONG_USER_OR_PASSWORD,
        "Shown when you reset your password: the user ID and the e-mail address you typed do not belong "
        "to the same account.",
        "Check both. If you have forgotten your user ID, ask for it to be e-mailed to you.",
    ),
    Entry(
        "agreement-not-accepted",
        accounts.AGREEMENT_NOT_ACCEPTED,
        "A new user agreement has been published and your organisation has not accepted it yet.",
        "An Administrator of your organisation signs in to the Administration section and accepts it.",
    ),
    Entry(
        "too-many-attempts",
        "Too many sign-in attempts",
        "Too many attempts were made from your network or for your user ID in a short time.",
        "Wait the number of minutes shown, then try again.",
    ),
    Entry(
        "code",
        "The code is not correct or has expired",
        "The sign-in code we e-mailed you is valid for 15 minutes; after 5 wrong codes you must sign in "
        "again.",
        "Check your junk folder and use the newest code. If no code arrives, sign in again to get a new "
        "one, or contact the helpdesk.",
    ),
]

_BY_MESSAGE = {entry.message: entry.anchor for entry in ENTRIES}


def anchor_for(message: str) -> str:
    """The guide's entry for a sign-in message (an entry whose message starts it), else the top."""
    if message in _BY_MESSAGE:
        return _BY_MESSAGE[message]
    for text, anchor in _BY_MESSAGE.items():
        if message.startswith(text):
            return anchor
    return ""
