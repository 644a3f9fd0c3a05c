"""Forms of the claims transfer pages (the rules are ``transfers.services``', shown beside the field)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.utils import ErrorDict

from claimsportal.organisations.models import Branch, Organisation
from claimsportal.transfers.models import Transfer
from claimsportal.web.account.forms import GovukForm
from claimsportal.web.console.forms import DateParts, date_part, text
from claimsportal.web.forms import TextField

DIRECTIONS = [
    ("send", "We are sending claims to another organisation"),
    ("receive", "We are receiving claims from another organisation"),
]
# The fields of each direction (shown in that answer's conditional reveal; the other's are ignored).
SEND_FIELDS = ("source_branches", "destination_branch_id", "destination_user_id")
RECEIVE_FIELDS = ("source_branch_ids", "destination_branch", "destination_user")


class TransferRequestForm(DateParts):
    """The request. The Administrator's own organisation's branches and users are choices (checkboxes
    of its branches when sending, pickers of its branches and claims users when receiving); the other
    organisation's are typed, as agreed between the two beforehand. The other organisation is a
    picker of the other compensators for a compensator, a typed ID (its name shown back before
    anything is filed) for a claimant representative. Every choice is checked again by
    ``transfers.services.request_transfer``."""

    date_field = "when"
    date_label = "Preferred date"

    other_organisation = text(
        "The other organisation's ID",
        "Enter the other organisation's ID",
        max_length=16,
        hint="Ask the other organisation for its ID (for example, CR00042). It must be of the same type as "
        "yours. Choose “Find” to see its name.",
    )
    option = forms.ChoiceField(
        label="Which claims?",
        choices=Transfer.Option.choices,
        widget=forms.RadioSelect,
        help_text="Only active claims move: drafts and ended claims are skipped and reported.",
        error_messages={"required": "Choose which claims to transfer"},
    )
    claims_file = forms.FileField(
        label="List of claims (CSV file)",
        required=False,
        help_text="One line per claim with its application ID, the receiving branch ID "
        "and, if you like, the receiving user ID (for example, 00001234,001,jane.smith)",
    )
    direction = forms.ChoiceField(
        label="Are you sending or receiving the claims?",
        choices=DIRECTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are sending or receiving the claims"},
    )
    # Sending: our branches are choices; the receiving organisation's branch and user are typed.
    source_branches = forms.MultipleChoiceField(
        label="Which of your branches?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For “the active claims of chosen branches”: the claims of the branches you tick are sent",
        error_messages={"invalid_choice": "Choose only branches of your own organisation"},
    )
    destination_branch_id = text(
        "Receiving branch ID",
        "Enter the receiving branch ID",
        max_length=3,
        hint="The branch of the receiving organisation where the claims go, as agreed with them (for "
        "example, 001). The list of claims can say otherwise per claim.",
    )
    destination_user_id = TextField(
        label="Receiving user ID",
        max_length=50,
        required=False,
        help_text="A user of the receiving organisation to allocate the claims to, as agreed with them",
    )
    # Receiving: the sending organisation's branches are typed; our branch and user are choices.
    source_branch_ids = TextField(
        label="Branch IDs of the sending organisation",
        max_length=400,
        required=False,
        help_text="For “the active claims of chosen branches”: the sending organisation's branch IDs, as "
        "agreed with them, separated by commas (for example, 001, 004)",
    )
    destination_branch = TextField(label="Your receiving branch", max_length=3, required=False)
    destination_user = TextField(label="Your user to allocate the claims to", max_length=50, required=False)
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

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["destination_branch_id"].required = self.sending  # typed when sending only
        # Every branch of our own (a closed one too: its claims may still need a new home).
        branches = Branch.objects.filter(organisation=organisation).order_by("branch_id")
        field = self.fields["source_branches"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (b.branch_id, f"{b.branch_id} {b.name}{'' if b.enabled else ' (closed)'}") for b in branches
        ]
        if organisation.org_type == Organisation.Type.COMP:  # a picker of the other compensators
            other = self.fields["other_organisation"]
            other.label = "The other compensator"
            other.help_text = "The compensator sending or receiving the claims"
            other.error_messages["required"] = "Choose the other compensator"

    @property
    def sending(self) -> bool:
        return self.data.get(self.add_prefix("direction")) != "receive"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sending = data.get("direction") == "send"
        branches_option = data.get("option") == Transfer.Option.BRANCHES
        if data.get("direction") is None:
            return data
        if sending:
            if branches_option and not data.get("source_branches") and "source_branches" not in self.errors:
                self.add_error("source_branches", "Choose the branches whose claims are sent")
        else:
            if branches_option and not data.get("source_branch_ids"):
                self.add_error("source_branch_ids", "Enter the branch IDs of the sending organisation")
            if not data.get("destination_branch"):
                self.add_error("destination_branch", "Choose your receiving branch")
        return data

    def quiet(self) -> None:
        """Shown again without its errors (a search or a "Find", not a request)."""
        self.full_clean()
        self._errors = ErrorDict()

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
