"""Forms of the claims transfer pages (the rules are ``transfers.services``', shown beside the field)."""

from __future__ import annotations

from datetime import date

from django import forms

from claimsportal.transfers.models import Transfer
from claimsportal.web.account.forms import GovukForm
from claimsportal.web.console.forms import DateParts, date_part, text
from claimsportal.web.forms import TextField

DIRECTIONS = [
    ("send", "We are sending claims to another organisation"),
    ("receive", "We are receiving claims from another organisation"),
]


class TransferRequestForm(DateParts):
    date_field = "when"
    date_label = "Preferred date"

    direction = forms.ChoiceField(
        label="Are you sending or receiving the claims?",
        choices=DIRECTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are sending or receiving the claims"},
    )
    other_organisation = text(
        "The other organisation's ID",
        "Enter the other organisation's ID",
        max_length=16,
        hint="For example, CR00042 or COMP017. It must be of the same type as yours.",
    )
    option = forms.ChoiceField(
        label="Which claims?",
        choices=Transfer.Option.choices,
        widget=forms.RadioSelect,
        help_text="Only active claims move: drafts and ended claims are skipped and reported.",
        error_messages={"required": "Choose which claims to transfer"},
    )
    source_branches = TextField(
        label="Branch IDs of the sending organisation",
        max_length=400,
        required=False,
        help_text="For the claims of chosen branches: their branch IDs, separated by commas (for example, 001, 004)",
    )
    claims_file = forms.FileField(
        label="List of claims (CSV file)",
        required=False,
        help_text="For a list of claims: one line per claim with its application ID, the receiving branch ID "
        "and, if you like, the receiving user ID (for example, 00001234,001,jane.smith)",
    )
    destination_branch = text(
        "Receiving branch ID",
        "Enter the receiving branch ID",
        max_length=3,
        hint="Where the claims go in the receiving organisation (the list of claims can say otherwise per claim)",
    )
    destination_user = TextField(
        label="Receiving user ID",
        max_length=50,
        required=False,
        help_text="A user of the receiving organisation to allocate the claims to",
    )
    when_day = date_part("Day")
    when_month = date_part("Month")
    when_year = date_part("Year")
    source_contact_name = text(
        "Sending organisation's primary contact: name", "Enter the sending contact's name"
    )
    source_contact_email = text(
        "Sending organisation's primary contact: e-mail address",
        "Enter the sending contact's e-mail address",
        max_length=254,
    )
    source_contact_phone = text(
        "Sending organisation's primary contact: telephone",
        "Enter the sending contact's telephone number",
        max_length=30,
    )
    destination_contact_name = text(
        "Receiving organisation's primary contact: name", "Enter the receiving contact's name"
    )
    destination_contact_email = text(
        "Receiving organisation's primary contact: e-mail address",
        "Enter the receiving contact's e-mail address",
        max_length=254,
    )
    destination_contact_phone = text(
        "Receiving organisation's primary contact: telephone",
        "Enter the receiving contact's telephone number",
        max_length=30,
    )

    def preferred_date(self) -> date | None:
        value = self.date_value()
        if value is None and not self.errors.get("when_day"):
            self.add_error("when_day", "Enter the preferred date of the transfer")
        return value


class ReasonForm(GovukForm):
    reason = TextField(
        label="Reason",
        max_length=2000,
        help_text="This is e-mailed to both organisations' primary contacts",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason"},
    )


class ScheduleForm(DateParts):
    date_field = "when"
    date_label = "Date of the transfer"
    when_day = date_part("Day")
    when_month = date_part("Month")
    when_year = date_part("Year")
