"""Forms of the web UI (GOV.UK pattern: the error summary links to the field that shows each error)."""

from __future__ import annotations

from django import forms

from claimsportal.organisations.accounts import Section

SECTION_CHOICES = [(Section.CLAIMS.value, "Claims Portal"), (Section.ADMIN.value, "Administration")]


class SignInForm(forms.Form):
    """User ID, password and the Section (ADMINISTRATION.md §2.6); the checks are accounts.sign_in's."""

    username = forms.CharField(
        label="User ID", max_length=254, error_messages={"required": "Enter your user ID"}
    )
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
