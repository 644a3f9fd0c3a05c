"""Which attachments and printable documents of a claim an actor sees (once the claim itself is
visible to them: the one visibility rule, ``VisibilityScope``, is checked first and separately).

* **The claimant side** sees every attachment and every document of its claim (the Defendant Only
  CNF included, which is its alone).
* **A compensator** sees the attachments the claimant side added and those added by its own
  organisation or an organisation of its group (``Organisation.group``: the brands and TPAs a claim
  can be reassigned between, ``reassignToAnotherCM``); and only the documents created while the claim
  was with its organisation or its group (``PrintableDocument.comp_organisation``, taken from the
  claim row when the document was created), never the Defendant Only CNF. So a compensator a rejected
  claim is resent to (``resendRejectedClaim``) sees neither the first compensator's files nor the
  documents that print its details, and a compensator the claim has left sees nothing of it anyway.

Each rule is a ``Q`` on the model, so lists, single reads and the claim rows' counts
(``claims.selectors.with_document_counts``) apply the same filter in the same query; the group is a
subquery (no extra round trip).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Subquery

from claimsportal.organisations.models import Organisation
from claimsportal.protocols.types import Side

if TYPE_CHECKING:
    from claimsportal.claims.acting import Actor


def group_organisations(organisation_pk: int) -> QuerySet[Organisation, Any]:
    """The primary keys of ``organisation_pk`` and of the organisations of its group (if it has one)."""
    own_group = Organisation.objects.filter(pk=organisation_pk).values("group")[:1]
    return Organisation.objects.filter(
        Q(pk=organisation_pk) | (~Q(group="") & Q(group=Subquery(own_group)))
    ).values("pk")


def attachments_q(actor: Actor) -> Q:
    """The attachments (of a visible claim) ``actor`` sees."""
    if actor.side is Side.CR:
        return Q()
    return Q(owner_side=Side.CR.value) | Q(
        owner_organisation_id__in=group_organisations(actor.organisation_pk)
    )


def documents_q(actor: Actor) -> Q:
    """The printable documents (of a visible claim) ``actor`` sees."""
    side = Q(visible_to_side="") | Q(visible_to_side=actor.side.value)
    if actor.side is Side.CR:
        return side
    return side & Q(comp_organisation_id__in=group_organisations(actor.organisation_pk))
