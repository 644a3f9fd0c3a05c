"""The audit trail of administrative actions (``core.AuditEntry``): who, what, when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claimsportal.core import clock
from claimsportal.core.models import AuditEntry

if TYPE_CHECKING:
    from claimsportal.organisations.models import Organisation, User


def audit(
    actor: User | None,
    action: str,
    target: str = "",
    organisation: Organisation | None = None,
    **details: Any,
) -> None:
    """Record one action, in the caller's transaction. ``actor`` None is the system or an A2A client."""
    AuditEntry.objects.create(
        occurred_at=clock.real_now(),
        actor_user=actor,
        actor_user_id_text=actor.user_id if actor else "SYSTEM",
        organisation=organisation or (actor.organisation if actor else None),
        action=action,
        target=target,
        details=details,
    )
