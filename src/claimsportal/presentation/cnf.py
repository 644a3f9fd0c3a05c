"""The Claim Notification Form as a form: the ``cnf`` of the claim type's ``addClaim`` payload, and
its sections (WORKFLOW.md §6.2 / §6.3)."""

from __future__ import annotations

from pydantic import BaseModel

from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.presentation.form_tree import Node, find_absolute, form_tree
from claimsportal.protocols.tables import definition_for


def cnf_model(claim_type: str) -> type[BaseModel]:
    """The ``addClaim`` payload of the claim type (its ``cnf`` is the form)."""
    op = definition_for(claim_type).operation("addClaim", DRAFT_PHASE)
    assert op is not None
    return op.payload


def cnf_tree(claim_type: str) -> Node:
    node = form_tree(cnf_model(claim_type)).child("cnf")
    assert node is not None
    return node


def sections(claim_type: str) -> list[Node]:
    """The CNF's sections (WORKFLOW.md §6.2 / §6.3): its top-level blocks, in the form's order."""
    return list(cnf_tree(claim_type).children)


def section_node(claim_type: str, name: str) -> Node | None:
    return find_absolute(cnf_tree(claim_type), f"cnf.{name}")
