"""Forms of the administration console, the operator's console and the online registration.

They check only what a person must fill in; every rule (unique user IDs and MFA e-mails, profiles of
the organisation's side, one Central Point, ICO numbers, …) is the services', shown beside the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from claimsportal.organisations.administration import USER_STATUSES
from claimsportal.organisations.models import Organisation
from claimsportal.organisations.profiles import Profile, profiles_valid_for
from claimsportal.organisations.registration import REGULATORS
from claimsportal.presentation.profiles import PROFILE_LABELS
from claimsportal.protocols.types import Side
from claimsportal.web.account.forms import GovukForm
from claimsportal.web.forms import TextField

STATUS_LABELS = {
    "all": "All",
    "active_enabled": "Active and Enabled",
    "active_disabled": "Active but Disabled",
    "inactive_disabled": "Not Active and Disabled",
}
assert set(STATUS_LABELS) == set(USER_STATUSES)
CLAIM_TYPE_LABELS = [
    ("RTA", "Road traffic accidents (RTA)"),
    ("ELPL", "Employers' liability and public liability (EL/PL)"),
]


def profile_choices(side: Side) -> list[tuple[str, str]]:
    """The profiles of the organisation's side, in the order of ``Profile``."""
    valid = profiles_valid_for(side)
    return [(p.value, PROFILE_LABELS[p.value]) for p in Profile if p in valid]


def text(label: str, required_message: str = "", *, max_length: int = 120, hint: str = "") -> TextField:
    return TextField(
        label=label,
        max_length=max_length,
        required=bool(required_message),
        help_text=hint,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


class DateParts(GovukForm):
    """A GOV.UK date input (day, month, year); errors are shown on the day, where the summary links."""

    date_field = "expiry"
    date_label = "Expiry date"

    def date_value(self) -> date | None:
        prefix = self.date_field
        parts = [str(self.cleaned_data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
        if not any(parts):
            return None
        if not all(parts):
            self.add_error(f"{prefix}_day", f"{self.date_label} must include a day, month and year")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError("two-digit year")
            return date(year, month, day)
        except ValueError:
            self.add_error(f"{prefix}_day", f"{self.date_label} must be a real date, like 27 3 2028")
            return None


def date_part(label: str) -> TextField:
    return TextField(label=label, max_length=4, required=False)


# --------------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------------


class UserSearchForm(GovukForm):
    q = TextField(label="User ID or name", max_length=60, required=False)
    status = forms.ChoiceField(
        label="Status", choices=list(STATUS_LABELS.items()), required=False, initial="all"
    )


class UserDetailsForm(GovukForm):
    """The fields an Administrator fills in for a new user and edits later."""

    forename = text("First name", "Enter the user's first name", max_length=60)
    surname = text("Last name", "Enter the user's last name", max_length=60)
    email = TextField(
        label="MFA e-mail address",
        max_length=254,
        help_text="The user's own business e-mail address: sign-in codes are sent there. "
        "Two users of your organisation cannot share one.",
        error_messages={"required": "Enter the user's MFA e-mail address"},
    )
    profiles = forms.MultipleChoiceField(
        label="Profiles",
        help_text="Select all that apply. An Administrator needs a claims profile as well to work on claims.",
        error_messages={"required": "Select at least one profile"},
    )
    branch = forms.ChoiceField(label="Branch", error_messages={"required": "Choose the user's branch"})

    def __init__(self, *args: Any, side: Side, branches: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profiles"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = profile_choices(side)
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        branch = self.fields["branch"]
        assert isinstance(branch, forms.ChoiceField)
        branch.choices = branches


class NewUserForm(UserDetailsForm):
    user_id = TextField(
        label="User ID",
        max_length=50,
        help_text="Unique across the whole portal, not an e-mail address: 3 to 50 letters, digits, "
        "'.', '_' or '-'",
        error_messages={"required": "Enter a user ID"},
    )
    field_order = ("user_id", "forename", "surname", "email", "profiles", "branch")


class EditUserForm(DateParts, UserDetailsForm):
    expiry_day = date_part("Day")
    expiry_month = date_part("Month")
    expiry_year = date_part("Year")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["expiry_date"] = self.date_value()
        return cleaned


class ConfirmDisableForm(GovukForm):
    confirm = forms.ChoiceField(
        label="Are you sure you want to remove this user's access?",
        choices=[("yes", "Yes, remove their access"), ("no", "No, keep their access")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes to remove the user's access, or no to keep it"},
    )


# --------------------------------------------------------------------------------------------------
# Branches, organisation details, A2A clients
# --------------------------------------------------------------------------------------------------


class AddressForm(GovukForm):
    street1 = text("Address line 1", "Enter the first line of the address")
    street2 = text("Address line 2")
    city = text("Town or city", max_length=60)
    post_code = text("Postcode", "Enter the postcode", max_length=10)

    ADDRESS_KEYS = (
        ("street1", "street1"),
        ("street2", "street2"),
        ("city", "city"),
        ("post_code", "postCode"),
    )

    def address(self) -> dict[str, str]:
        return {
            key: str(self.cleaned_data.get(name) or "").strip()
            for name, key in self.ADDRESS_KEYS
            if str(self.cleaned_data.get(name) or "").strip()
        }

    @classmethod
    def address_initial(cls, address: dict[str, Any]) -> dict[str, Any]:
        return {name: address.get(key, "") for name, key in cls.ADDRESS_KEYS}


class BranchForm(AddressForm):
    name = text(
        "Branch name",
        "Enter the branch name",
        hint="Name it after a team, region or office, not a person",
    )
    telephone = text("Telephone", max_length=30, hint="Leave empty to use the organisation's")
    email = text("E-mail address", max_length=254, hint="Leave empty to use the organisation's")
    field_order = ("name", "telephone", "email", "street1", "street2", "city", "post_code")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("street1", "post_code"):  # a branch may share the organisation's address
            self.fields[name].required = False


class NewBranchForm(BranchForm):
    kind = forms.ChoiceField(
        label="Branch type",
        choices=[("HANDLING_POINT", "Handling Point"), ("CENTRAL_POINT", "Central Point")],
        initial="HANDLING_POINT",
        widget=forms.RadioSelect,
        help_text="A compensator has exactly one enabled Central Point, where new claims arrive. "
        "The type cannot be changed later.",
        error_messages={"required": "Choose the branch type"},
    )


class EditBranchForm(BranchForm):
    enabled = forms.ChoiceField(
        label="Is the branch in use?",
        choices=[("yes", "Yes, enabled"), ("no", "No, disabled")],
        widget=forms.RadioSelect,
        help_text="Branches are never deleted; a disabled branch takes no new users",
        error_messages={"required": "Choose whether the branch is enabled"},
    )


class OrganisationForm(AddressForm):
    telephone = text("Telephone", "Enter the organisation's telephone number", max_length=30)
    email = text("E-mail address", "Enter the organisation's e-mail address", max_length=254)
    ico_number = text("ICO registration number", max_length=20)
    regulator = forms.ChoiceField(
        label="Regulator",
        choices=[("", "Not regulated"), *[(r, r) for r in REGULATORS]],
        required=False,
    )
    regulator_number = text("Regulator's number", max_length=30)
    software_house = text(
        "Software house",
        max_length=120,
        hint="The supplier of your case-management system, if it uses the A2A interface",
    )
    field_order = (
        "street1",
        "street2",
        "city",
        "post_code",
        "telephone",
        "email",
        "ico_number",
        "regulator",
        "regulator_number",
        "software_house",
    )


class A2AClientForm(GovukForm):
    name = text(
        "Name",
        "Enter a name for the client",
        hint="For your own records, for example the name of your case-management system",
    )


# --------------------------------------------------------------------------------------------------
# The operator: applications, agreements
# --------------------------------------------------------------------------------------------------


class RejectForm(GovukForm):
    reason = TextField(
        label="Reason for the rejection",
        max_length=2000,
        help_text="This is e-mailed to the applicant",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the rejection"},
    )


class AgreementPublishForm(GovukForm):
    version = text("Version", "Enter the version", max_length=32, hint="For example, 2026-1")
    title = text("Title", "Enter the title", max_length=200)
    text = TextField(
        label="Text of the agreement",
        widget=forms.Textarea,
        error_messages={"required": "Enter the text of the agreement"},
    )


# --------------------------------------------------------------------------------------------------
# The online registration of an organisation (public)
# --------------------------------------------------------------------------------------------------


class RegistrationForm(AddressForm):
    org_type = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=[("CR", "Claimant representative"), ("COMP", "Compensator")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select claimant representative or compensator"},
    )
    claim_types = forms.MultipleChoiceField(
        label="Which claims will you handle?",
        choices=CLAIM_TYPE_LABELS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select the claims you will handle"},
    )
    name = text(
        "Organisation name",
        "Enter the organisation's name",
        hint="As your regulator and the ICO hold it",
    )
    telephone = text("Telephone", "Enter the organisation's telephone number", max_length=30)
    email = text("Organisation e-mail address", "Enter the organisation's e-mail address", max_length=254)
    ico_number = text(
        "ICO registration number",
        "Enter the ICO registration number",
        max_length=20,
        hint="Your registration with the Information Commissioner's Office, for example ZA123456",
    )
    regulator = forms.ChoiceField(
        label="Regulator",
        choices=[("", "Choose the regulator"), *[(r, r) for r in REGULATORS]],
        required=False,
        help_text="Claimant representatives must be regulated by the SRA, CILEX or the Bar Standards Board",
    )
    regulator_number = text("Regulator's number", max_length=30)
    compensator_type = forms.ChoiceField(
        label="Compensator type",
        choices=[(c.value, c.label) for c in Organisation.CompensatorType],
        required=False,
        initial="I",
        widget=forms.RadioSelect,  # each option its own id and label (a Select's options have none)
    )
    software_house = text(
        "Software house",
        max_length=120,
        hint="If your case-management system will use the A2A interface, the name of its supplier",
    )
    branches = TextField(
        label="Branches besides your head office",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="One per line. Name each after a team, region or office, not a person",
    )
    admin_user_id = TextField(
        label="Administrator's user ID",
        max_length=50,
        help_text="Unique across the portal and not an e-mail address: 3 to 50 letters, digits, "
        "'.', '_' or '-'",
        error_messages={"required": "Enter a user ID for the Administrator"},
    )
    admin_forename = text("Administrator's first name", "Enter the Administrator's first name", max_length=60)
    admin_surname = text("Administrator's last name", "Enter the Administrator's last name", max_length=60)
    admin_email = TextField(
        label="Administrator's business e-mail address",
        max_length=254,
        help_text="The Administrator's own address at your organisation, not a shared or personal one",
        error_messages={"required": "Enter the Administrator's business e-mail address"},
    )

    field_order = (
        "org_type",
        "claim_types",
        "name",
        "street1",
        "street2",
        "city",
        "post_code",
        "telephone",
        "email",
        "ico_number",
        "regulator",
        "regulator_number",
        "compensator_type",
        "software_house",
        "branches",
        "admin_user_id",
        "admin_forename",
        "admin_surname",
        "admin_email",
    )

    # The service's field names that are not the form's
    SERVICE_FIELDS = {"address": "street1", "branches": "branches"}

    def service_fields(self) -> dict[str, Any]:
        """What ``registration.submit_application`` takes."""
        data = self.cleaned_data
        return {
            "org_type": data["org_type"],
            "claim_types": list(data["claim_types"]),
            "name": data["name"],
            "address": self.address(),
            "telephone": data["telephone"],
            "email": data["email"],
            "ico_number": data["ico_number"],
            "regulator": data["regulator"] if data["org_type"] == "CR" else "",
            "regulator_number": data["regulator_number"] if data["org_type"] == "CR" else "",
            "compensator_type": data["compensator_type"] if data["org_type"] == "COMP" else "",
            "software_house": data["software_house"],
            "branches": [line.strip() for line in str(data["branches"]).splitlines() if line.strip()],
            "admin_user_id": data["admin_user_id"],
            "admin_forename": data["admin_forename"],
            "admin_surname": data["admin_surname"],
            "admin_email": data["admin_email"],
        }
