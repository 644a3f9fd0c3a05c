"""Forms of the account pages, and what every GOV.UK form of the UI shares: an error summary whose links
reach the field (the first option of radios and checkboxes), and the service's errors shown beside it.

The forms only check what a person must type (required fields, lengths); the rules are the services'.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms

from claimsportal.organisations import accounts
from claimsportal.protocols.errors import PortalError

PASSWORD_RULES_HINT = (
    "At least 12 characters, with upper- and lower-case letters, a digit and one of these special "
    f"characters: {accounts.SPECIAL_CHARACTERS} — it must not contain “password” (or pwd, pswd), your "
    "name, your user ID or your organisation ID, and must not be one of your previous passwords."
)


class GovukForm(forms.Form):
    """A form whose error summary links each error to its field (GOV.UK error summary pattern)."""

    def anchor(self, name: str) -> str:
        bound = self[name]
        widget = bound.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{bound.auto_id}_0"  # the first option's id (Django names options <id>_<n>)
        return str(bound.auto_id)

    @property
    def error_links(self) -> list[tuple[str, str]]:
        links: list[tuple[str, str]] = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            for error in self[name].errors:
                links.append((f"#{self.anchor(name)}", str(error)))
        return links


def sentence(label: str, message: str) -> str:
    """A service's field message as a sentence: "must be …" gets the field's label in front."""
    message = message.strip()
    if re.match(r"^(must|is|are|has|cannot) ", message):
        return f"{label} {message}"
    return message[:1].upper() + message[1:]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def add_portal_error(form: GovukForm, error: PortalError, fields: Mapping[str, str] | None = None) -> None:
    """Show a service's ``PortalError`` beside the field each detail names (camelCase or snake_case,
    ``branches.0`` for an item of a list); ``fields`` maps the service's names that differ."""
    placed = False
    for detail in error.details:
        base = detail.field.split(".")[0]
        name = (fields or {}).get(detail.field) or (fields or {}).get(base) or snake(base)
        if name in form.fields:
            label = str(form.fields[name].label or name)
            # "not found" details only say "unknown": the error's own message says what was not found
            message = error.message if error.code == "NOT_FOUND" else sentence(label, detail.message)
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# --------------------------------------------------------------------------------------------------
# Passwords (sign-in with an expired password, one's own change, the forgotten-password reset)
# --------------------------------------------------------------------------------------------------


def password_field(label: str, required_message: str, *, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        help_text=hint,
        error_messages={"required": required_message},
    )


class PasswordChangeForm(GovukForm):
    current = password_field("Current password", "Enter your current password")
    new = password_field("New password", "Enter a new password", hint=PASSWORD_RULES_HINT)
    confirm = password_field("Confirm new password", "Enter the new password again")


class PasswordResetRequestForm(GovukForm):
    user_id = forms.CharField(
        label="User ID", max_length=50, error_messages={"required": "Enter your user ID"}
    )
    email = forms.CharField(
        label="E-mail address",
        max_length=254,
        help_text="The e-mail address your sign-in codes are sent to",
        error_messages={"required": "Enter your e-mail address"},
    )


class PasswordResetForm(GovukForm):
    user_id = forms.CharField(
        label="User ID", max_length=50, error_messages={"required": "Enter your user ID"}
    )
    code = forms.CharField(
        label="Verification code",
        max_length=12,
        help_text="The 6-digit code in the e-mail we sent you. It is valid for 24 hours.",
        error_messages={"required": "Enter the verification code"},
    )
    new = password_field("New password", "Enter a new password", hint=PASSWORD_RULES_HINT)
    confirm = password_field("Confirm new password", "Enter the new password again")


def add_password_problems(form: GovukForm, problems: list[str]) -> None:
    """Each broken rule beside the field it is about (the services word them "must …")."""
    for problem in problems:
        if "current password" in problem:
            form.add_error("current", sentence("The current password", problem))
        elif "confirmation" in problem:
            form.add_error("confirm", sentence("The new password", problem))
        elif "verification code" in problem and "code" in form.fields:
            form.add_error("code", sentence("The verification code", problem))
        else:
            form.add_error("new", sentence("The new password", problem))


# --------------------------------------------------------------------------------------------------
# The second factor, the user agreement, the authenticator app, acting as another user
# --------------------------------------------------------------------------------------------------


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code"},
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", str(self.cleaned_data["code"]))
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("The code must be 6 digits")
        return code


class AgreementForm(GovukForm):
    accept = forms.BooleanField(
        label="I have read the user agreement and accept it on behalf of my organisation",
        error_messages={"required": "Tick the box to confirm you have read and accept the user agreement"},
    )

    def anchor(self, name: str) -> str:
        return str(self[name].auto_id)


class ActAsForm(GovukForm):
    """The person to act as, chosen from the organisation's enabled users (a list: no user ID to
    type); the service still decides whether they may be acted as."""

    user_id = forms.ChoiceField(
        label="Person to act as",
        help_text="A claims user of your organisation",
        error_messages={
            "required": "Choose the person to act as",
            "invalid_choice": "Choose one of the people listed",
        },
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a person"), *(people or [])]
