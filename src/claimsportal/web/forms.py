"""Forms of the web UI (GOV.UK pattern: the error summary links to the field that shows each error)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

# One message for any cause (unknown user, wrong password, inactive user), so it tells nobody which.
INCORRECT_SIGN_IN = "The user ID or password is incorrect."


class SignInForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your user ID"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # Shown beside the user ID field, where the error summary links to.
            raise ValidationError({"username": INCORRECT_SIGN_IN}) from None
