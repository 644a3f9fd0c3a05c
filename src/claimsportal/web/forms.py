"""Forms of the web UI (GOV.UK pattern: the error summary links to the field that shows each error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from claimsportal.core import text
from claimsportal.organisations.accounts import Section
from claimsportal.protocols.errors import ErrorDetail, PortalError

CONTROL_CHARACTERS = "Remove the control characters (such as a null character) from this answer"


def no_control_characters(value: str) -> None:
    """A typed answer holds no control character or bidirectional override (``core.text``'s rule,
    the API's too); Django's own ``CharField`` already refuses NUL."""
    if text.problem(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


class TextField(forms.CharField):
    """A text input of the web's forms: ``CharField`` refusing control characters in plain English."""

    default_validators = [no_control_characters]


def refuse_control_characters(payload: Any, path: str = "") -> None:
    """A schema form's payload (claim pages) checked before it goes to the service: each answer that
    holds a control character is a ``SCHEMA_INVALID`` detail at its path, shown beside its field."""
    found = text.problems(payload, path)
    if found:
        raise PortalError(
            "SCHEMA_INVALID",
            CONTROL_CHARACTERS,
            [ErrorDetail(where, CONTROL_CHARACTERS) for where, _ in found],
        )


SECTION_CHOICES = [(Section.CLAIMS.value, "Claims Portal"), (Section.ADMIN.value, "Administration")]


class SignInForm(forms.Form):
    """User ID, password and the Section (ADMINISTRATION.md §2.6); the checks are accounts.sign_in's."""

    username = TextField(label="User ID", max_length=254, error_messages={"required": "Enter your user ID"})
    password = forms.CharField(
        label="Password", strip=False, max_length=128, error_messages={"required": "Enter your password"}
    )
    section = forms.ChoiceField(
        label="Section",
        choices=SECTION_CHOICES,
        initial=Section.CLAIMS.value,
        help_text="Administrators choose Administration to use the administration console",
        error_messages={
            "required": "Choose the section to sign in to",
            "invalid_choice": "Choose Claims Portal or Administration",
        },
    )
