"""The operator's forms: a news item, a maintenance window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from claimsportal.protocols.timers import LONDON
from claimsportal.publishing.models import NewsItem
from claimsportal.web.account.forms import GovukForm
from claimsportal.web.forms import TextField

WHEN_FORMAT = "%Y-%m-%d %H:%M"
WHEN_HINT = "UK time, for example 2026-05-24 19:00"


class WhenField(forms.DateTimeField):
    """A date and time typed as YYYY-MM-DD HH:MM, read as UK time."""

    def __init__(self, label: str, required_message: str, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            input_formats=[WHEN_FORMAT],
            help_text=WHEN_HINT,
            error_messages={
                "required": required_message,
                "invalid": f"{label} must be a date and time like 2026-05-24 19:00",
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is None:
            return None
        return result.replace(tzinfo=None).replace(tzinfo=LONDON)


class NewsForm(GovukForm):
    category = forms.ChoiceField(
        label="Category",
        choices=NewsItem.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category"},
    )
    title = TextField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the title", "max_length": "Title must be 200 characters or fewer"},
    )
    body = TextField(
        label="Text",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the text", "max_length": "Text must be 5000 characters or fewer"},
    )
    shown_until = WhenField("Show as a banner until (announcements only)", "", required=False)


class MaintenanceForm(GovukForm):
    starts_at = WhenField("Start", "Enter the start")
    ends_at = WhenField("End", "Enter the end")
    message = TextField(
        label="Message to users",
        widget=forms.Textarea,
        max_length=500,
        error_messages={
            "required": "Enter the message users will see",
            "max_length": "Message to users must be 500 characters or fewer",
        },
    )
    web = forms.BooleanField(label="The web pages are unavailable", required=False)
    a2a = forms.BooleanField(label="The A2A API is unavailable", required=False)


class InsurerIndexUploadForm(GovukForm):
    file = forms.FileField(
        label="The new Insurer Index (CSV or XLSX)",
        help_text=(
            "A CSV file, or an Excel or LibreOffice workbook saved as .xlsx (its first sheet), with the"
            " columns insurerIndexId, insurerName, organisationId, compensatorType, enabled (Y or N)"
        ),
        error_messages={
            "required": "Choose the CSV or XLSX file of the new index",
            "empty": "The file is empty",
        },
    )
