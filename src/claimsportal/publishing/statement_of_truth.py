"""The statement of truth in the words of the rules (ADMINISTRATION.md §8.2), where a form shows or
prints the bare "Yes" of its signed statement: the CNF's ``statementOfTruth`` and the packs'
``statementOfTruth.retainedSignedCopy``.

The wording is the one in force on the day the form was signed (sent), in the variant of who signed
(the claimant's legal representative, or the claimant in person): rows of
:class:`~claimsportal.publishing.models.StatementOfTruthWording` with their effective dates, so a
document printed before a change keeps its wording and a future change is a new row.

Which wording a form confirmed is **stored with it** (:class:`~claimsportal.publishing.models.
SignedStatement`): :func:`record`, a ledger observer, writes it in the form's transaction when the
form is sent (the wording in force on that day of the business clock, for the form's signatory), and
every page, document and API answer that carries the form shows that wording (:func:`signed_for`,
:func:`for_form`, :func:`for_cnf`). A wording row is never changed, so a stored one stays what was
signed whatever rows come later. A form sent before versions were stored (no row) shows the wording in
force on its date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db import connection

from claimsportal.claims.effects import Deleted, Written
from claimsportal.presentation.labels import CODE_LABELS
from claimsportal.presentation.summary import SummaryGroup, SummaryRow
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing.models import SignedStatement, StatementOfTruthWording

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


# --------------------------------------------------------------------------------------------------
# The wording a form confirmed, stored when it is sent
# --------------------------------------------------------------------------------------------------

CNF_OPERATIONS = ("addClaim", "resendRejectedClaim")


def signatory_of(operation: str, payload: Mapping[str, Any]) -> str | None:
    """Who signed the statement of truth of the form ``payload`` (S or C), or None if the form carries
    no signed statement. Reads the event alone: the CNF's ``statementOfTruth`` and its
    ``applicationData.claimDetails.signatory``; a pack's ``<form>.statementOfTruth``
    (``retainedSignedCopy`` 1, ``signatoryType``)."""
    if operation not in FORM_NAMES:
        return None
    if operation in CNF_OPERATIONS:
        cnf = payload.get("cnf")
        if not isinstance(cnf, Mapping) or cnf.get("statementOfTruth") is not True:
            return None
        details = (cnf.get("applicationData") or {}).get("claimDetails") or {}
        return (
            Signatory.CLAIMANT if details.get("signatory") == Signatory.CLAIMANT else Signatory.REPRESENTATIVE
        )
    for form in payload.values():
        statement = form.get("statementOfTruth") if isinstance(form, Mapping) else None
        if isinstance(statement, Mapping) and str(statement.get("retainedSignedCopy")) == "1":
            signed_by = statement.get("signatoryType")
            return Signatory.CLAIMANT if signed_by == Signatory.CLAIMANT else Signatory.REPRESENTATIVE
    return None


_RECORD_SQL = (
    "INSERT INTO publishing_signedstatement (claim_id, operation, signed_at, wording_id)"
    " SELECT %s, %s, %s, id FROM publishing_statementoftruthwording"
    " WHERE signatory = %s AND effective_from <= %s ORDER BY effective_from DESC LIMIT 1"
)


def record(written: Sequence[Written]) -> None:
    """The ledger's observer: for each form sent with a signed statement of truth, which wording it
    confirmed (in force on the day it was sent, business clock), in the form's transaction. One
    statement per signed form; nothing (no query) for any other event."""
    for item in written:
        signatory = signatory_of(item.operation, item.payload)
        if signatory is None:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                _RECORD_SQL,
                [
                    item.application_id,
                    item.operation,
                    connection.ops.adapt_datetimefield_value(item.occurred_at),
                    signatory,
                    item.occurred_at.astimezone(LONDON).date(),
                ],
            )


def forget(deleted: Sequence[Deleted]) -> None:
    """The on-delete hook: a deleted claim's stored statements go with it."""
    ids = [claim.application_id for claim in deleted]
    for start in range(0, len(ids), 500):
        SignedStatement.objects.filter(claim_id__in=ids[start : start + 500]).delete()


@dataclass(frozen=True)
class Signed:
    """A form's signed statement of truth: the wording it confirmed, and when."""

    operation: str
    signed_at: datetime
    version: str  # the wording's effective date, ISO 8601
    signatory: str
    text: str  # with "{document}"

    @property
    def signed_on(self) -> date:
        return self.signed_at.astimezone(LONDON).date()

    def words(self, document: str) -> str:
        return self.text.replace("{document}", document)

    def as_json(self, document: str) -> dict[str, str]:
        """What the A2A API states beside a form that carries a signed statement."""
        return {
            "wordingVersion": self.version,
            "signatory": self.signatory,
            "signedOn": self.signed_on.isoformat(),
            "text": self.words(document),
        }


def signed_for(claim_id: int) -> list[Signed]:
    """The stored statements of a claim's forms, oldest first (one query)."""
    rows = (
        SignedStatement.objects.filter(claim_id=claim_id)
        .order_by("signed_at", "id")
        .values_list(
            "operation", "signed_at", "wording__effective_from", "wording__signatory", "wording__text"
        )
    )
    return [Signed(op, at, since.isoformat(), who, text) for op, at, since, who, text in rows]


def for_form(signed: Sequence[Signed], operation: str, submitted_at: datetime | str | None) -> Signed | None:
    """The statement stored for the form of ``operation`` sent at ``submitted_at`` (its event's time)."""
    if submitted_at is None:
        return None
    at = datetime.fromisoformat(submitted_at) if isinstance(submitted_at, str) else submitted_at
    return next((s for s in signed if s.operation == operation and s.signed_at == at), None)


def for_cnf(signed: Sequence[Signed], at: datetime | str | None = None) -> Signed | None:
    """The statement of the claim's CNF as it stood at ``at`` (now if None): the latest CNF sent."""
    limit = datetime.fromisoformat(at) if isinstance(at, str) else at
    found = [s for s in signed if s.operation in CNF_OPERATIONS and (limit is None or s.signed_at <= limit)]
    return found[-1] if found else None


def document_name(operation: str) -> str:
    return FORM_NAMES.get(operation, "form")


# --------------------------------------------------------------------------------------------------
# The words where a page or a document showed the bare "Yes"
# --------------------------------------------------------------------------------------------------


def _is_statement(row: SummaryRow) -> bool:
    return (
        row.path.endswith(("statementOfTruth", "statementOfTruth.retainedSignedCopy")) and row.value == "Yes"
    )


def with_statement(
    groups: list[SummaryGroup],
    *,
    signed_on: date | None,
    document: str,
    stored: Signed | None = None,
) -> list[SummaryGroup]:
    """``groups`` with each signed statement of truth's "Yes" replaced by its words, who signed and when:
    the wording ``stored`` with the form when there is one, else the one in force on ``signed_on``."""
    if stored is not None:
        signed_on = stored.signed_on
    if signed_on is None or not any(_is_statement(row) for group in groups for row in group.rows):
        return groups
    out = []
    for group in groups:
        signatory = Signatory.REPRESENTATIVE
        for row in group.rows:
            if row.path.endswith(("signatoryType", "signatory")) and row.value == CLAIMANT_LABEL:
                signatory = Signatory.CLAIMANT
        if stored is not None:
            signatory = Signatory(stored.signatory)
        words = stored.words(document) if stored is not None else wording(signed_on, signatory, document)
        rows = tuple(
            replace(
                row,
                value=(
                    f"\u201c{words}\u201d Signed by {WHO[signatory]} on "
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
