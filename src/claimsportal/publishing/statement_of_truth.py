"""The statement of truth in the words of the rules (ADMINISTRATION.md §8.2), where a form shows or
prints the bare "Yes" of its signed statement: the CNF's ``statementOfTruth`` and the packs'
``statementOfTruth.retainedSignedCopy``.

The wording is the one in force on the day the form was signed (sent), in the variant of who signed
(the claimant's legal representative, or the claimant in person): rows of
:class:`~claimsportal.publishing.models.StatementOfTruthWording` with their effective dates, so a
document printed before a change keeps its wording and a future change is a new row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from claimsportal.presentation.labels import CODE_LABELS
from claimsportal.presentation.summary import SummaryGroup, SummaryRow
from claimsportal.publishing.models import StatementOfTruthWording

Signatory = StatementOfTruthWording.Signatory
CLAIMANT_LABEL = CODE_LABELS["signatoryType"]["C"]
# The document a form's statement of truth names, by the operation that sent it.
FORM_NAMES = {
    "addClaim": "Claim Notification Form",
    "resendRejectedClaim": "Claim Notification Form",
    "addInterimSPFRequest": "Interim Settlement Pack",
    "addStage2SPFRequest": "Stage 2 Settlement Pack",
    "addStage2SPFCounterOfferByCR": "Stage 2 Settlement Pack counter offer",
    "addS2SPFAdditionalDamagesRequest": "Additional Damages Request",
    "addCPPFRequest": "Court Proceedings Pack",
}
WHO = {Signatory.REPRESENTATIVE: "the claimant's legal representative", Signatory.CLAIMANT: "the claimant"}


def wording(signed_on: date, signatory: str, document: str) -> str:
    """The statement of truth in force on ``signed_on`` for ``signatory`` (S or C), naming ``document``."""
    row = (
        StatementOfTruthWording.objects.filter(signatory=signatory, effective_from__lte=signed_on)
        .order_by("-effective_from")
        .values_list("text", flat=True)
        .first()
    )
    return (row or "").replace("{document}", document)


def _is_statement(row: SummaryRow) -> bool:
    return (
        row.path.endswith(("statementOfTruth", "statementOfTruth.retainedSignedCopy")) and row.value == "Yes"
    )


def with_statement(
    groups: list[SummaryGroup], *, signed_on: date | None, document: str
) -> list[SummaryGroup]:
    """``groups`` with each signed statement of truth's "Yes" replaced by its words, who signed and when."""
    if signed_on is None or not any(_is_statement(row) for group in groups for row in group.rows):
        return groups
    out = []
    for group in groups:
        signatory = Signatory.REPRESENTATIVE
        for row in group.rows:
            if row.path.endswith(("signatoryType", "signatory")) and row.value == CLAIMANT_LABEL:
                signatory = Signatory.CLAIMANT
        rows = tuple(
            replace(
                row,
                value=(
                    f"\u201c{wording(signed_on, signatory, document)}\u201d Signed by {WHO[signatory]} on "
                    f"{signed_on.day} {signed_on:%B %Y}"
                    + ("; the signed copy is retained." if row.path.endswith("retainedSignedCopy") else ".")
                ),
            )
            if _is_statement(row)
            else row
            for row in group.rows
        )
        out.append(replace(group, rows=rows))
    return out
