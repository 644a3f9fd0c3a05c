from __future__ import annotations

from django import forms

from claimsportal.helpdesk.models import HelpRequest
from claimsportal.web.account.forms import GovukForm
from claimsportal.web.forms import TextField


class ResendUserIdForm(GovukForm):
    email = TextField(
        label="E-mail address",
        max_length=254,
        help_text="The e-mail address of your account (the one your sign-in codes are sent to)",
        error_messages={"required": "Enter your e-mail address"},
    )


class ContactForm(GovukForm):
    name = TextField(label="Your name", max_length=120, error_messages={"required": "Enter your name"})
    email = TextField(
        label="Your e-mail address",
        max_length=254,
        help_text="We reply to this address",
        error_messages={"required": "Enter your e-mail address"},
    )
    role = forms.ChoiceField(
        label="Who are you?",
        choices=HelpRequest.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )
    section = forms.ChoiceField(
        label="Which section were you using?",
        choices=HelpRequest.Section.choices,
        widget=forms.RadioSelect,
        help_text="The Section chosen on the sign-in page",
        error_messages={"required": "Select the section you were using"},
    )
    user_id = TextField(label="Your user ID", max_length=50, required=False, help_text="If you know it")
    organisation = TextField(
        label="Your organisation's name or ID",
        max_length=120,
        required=False,
        help_text="For example CR00012",
    )
    error_message = TextField(
        label="The exact message you saw",
        max_length=500,
        required=False,
        help_text="Copy it word for word, for example \u201cLogin failed\u201d",
    )
    description = TextField(
        label="What is the problem?",
        max_length=5000,
        widget=forms.Textarea,
        help_text="Say what you were doing and what happened. Never send your password.",
        error_messages={"required": "Describe the problem"},
    )
