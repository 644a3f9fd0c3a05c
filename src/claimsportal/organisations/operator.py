"""The one check behind every service only the portal's operator may use."""

from __future__ import annotations

from claimsportal.organisations.models import User
from claimsportal.protocols.errors import ErrorDetail, PortalError

OPERATOR_ONLY = "Only the Claims Portal operator can do this"


def check_operator(user: User) -> User:
    """``user``, if they are the operator's staff; otherwise FORBIDDEN_PROFILE."""
    if not user.is_operator:
        raise PortalError("FORBIDDEN_PROFILE", OPERATOR_ONLY, [ErrorDetail("user", "operator only")])
    return user
