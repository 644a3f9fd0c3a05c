"""One question a page (GOV.UK "question pages"): each form asks one thing."""

from __future__ import annotations

from django import forms

from claimsportal.web.account.forms import PASSWORD_RULES_HINT, GovukForm
from claimsportal.web.forms import TextField

YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNoForm(GovukForm):
    answer = forms.ChoiceField(
        label="",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no", "invalid_choice": "Select yes or no"},
    )

    def __init__(self, *args: object, question: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["answer"].label = question
        self.fields["answer"].error_messages["required"] = (
            f"Select yes if {question[0].lower()}{question[1:-1]}"
        )


class NameForm(GovukForm):
    forename = TextField(
        label="First name", max_length=25, error_messages={"required": "Enter your first name"}
    )
    surname = TextField(label="Last name", max_length=25, error_messages={"required": "Enter your last name"})


class EmailForm(GovukForm):
    email = TextField(
        label="E-mail address",
        max_length=254,
        help_text="We will send a code to this address to check it is yours. Every time you sign in we "
        "send a new code to it.",
        error_messages={"required": "Enter your e-mail address"},
    )


class CodeForm(GovukForm):
    code = TextField(
        label="Confirmation code",
        max_length=12,
        help_text="The code is 6 digits, for example 123456",
        error_messages={"required": "Enter the confirmation code"},
    )


class UserIdForm(GovukForm):
    user_id = TextField(
        label="User ID",
        max_length=50,
        help_text="3 to 50 letters or digits; you may use full stops, hyphens and underscores. Not your "
        "e-mail address.",
        error_messages={"required": "Enter a user ID"},
    )


class PasswordForm(GovukForm):
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=128,
        help_text=PASSWORD_RULES_HINT.replace(" or your organisation ID", "").replace(
            ", and must not be one of your previous passwords", ""
        ),
        error_messages={"required": "Enter a password"},
    )
    confirm = forms.CharField(
        label="Confirm the password",
        strip=False,
        max_length=128,
        error_messages={"required": "Enter the password again"},
    )


class AgreementForm(GovukForm):
    accept = forms.BooleanField(
        label="I accept the user agreement",
        error_messages={"required": "You must accept the user agreement to use the Claims Portal"},
    )


CLAIM_TYPES = [
    ("RTA", "A road traffic accident"),
    ("EL", "An accident at work"),
    ("ELD", "An illness or disease caused by your work"),
    ("PL", "An accident in a public place or on someone else's property"),
]


class ClaimTypeForm(GovukForm):
    claim_type = forms.ChoiceField(
        label="What caused your injury?",
        choices=CLAIM_TYPES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what caused your injury", "invalid_choice": "Select one option"},
    )


class OfferForm(GovukForm):
    answer = forms.ChoiceField(
        label="Do you accept the insurer's offer?",
        choices=[("yes", "Yes, I accept the offer"), ("no", "No, I do not accept it")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you accept the offer",
            "invalid_choice": "Select yes if you accept the offer",
        },
    )
