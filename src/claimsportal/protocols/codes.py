"""Code lists used by the Stage 1 and exit operations (WORKFLOW.md §9).

Meanings marked [I] are reconstructions documented in WORKFLOW.md; they are data so that an
operator can relabel them without a code change to the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimsportal.protocols.types import ProtocolName, Side


@dataclass(frozen=True)
class ExitCode:
    code: str
    label: str
    cr_rta: bool
    comp_rta: bool
    cr_elpl: bool
    comp_elpl: bool
    only_before_liability_decision: bool = False

    def allowed_for(self, protocol: ProtocolName, side: Side) -> bool:
        if protocol is ProtocolName.RTA:
            return self.cr_rta if side is Side.CR else self.comp_rta
        return self.cr_elpl if side is Side.CR else self.comp_elpl


EXIT_CODES: dict[str, ExitCode] = {
    c.code: c
    for c in (
        ExitCode(
            "1", "Incomplete or inadequate mandatory information on the CNF", False, True, False, True, True
        ),
        ExitCode("2", "Claim value below the lower limit", True, True, True, True),
        ExitCode("3", "Claim value above the upper limit", True, True, True, True),
        ExitCode("4", "Claim too complex for the process", True, False, True, False),
        ExitCode("5", "Claim withdrawn", True, False, True, False),
        ExitCode("6", "Duplicate claim", True, True, True, True),
        ExitCode("7", "Withdrawal of offer", True, True, True, True),
        ExitCode("8", "Interim payment needed for a child claimant", True, False, True, False),
        ExitCode("9", "Other (compensator)", False, True, False, True),
        ExitCode("10", "Other / not suitable for the process", True, True, True, True),
        ExitCode("11", "Stage 1 fixed costs not paid on time", True, False, True, False),
        ExitCode("12", "Interim payment not paid on time", True, False, True, False),
        ExitCode("13", "Other reason (claimant representative) [label unknown]", True, False, True, False),
        ExitCode("14", "Other reason [label unknown]", True, True, True, False),
        ExitCode(
            "15", "Other reason (EL/PL claimant representative) [label unknown]", False, False, True, False
        ),
    )
}

INTERIM_NOT_PAID_EXIT_CODE = "12"

REJECTION_REASONS: dict[ProtocolName, dict[str, str]] = {
    ProtocolName.RTA: {
        "0": "Claim sent to the wrong organisation",
        "1": "Mandatory fields incorrectly populated",
        "2": "AskCUE PI reference not valid",
    },
    ProtocolName.ELPL: {
        "0": "Claim sent to the wrong organisation",
        "1": "Mandatory fields incorrectly populated",
    },
}

FRAUD_REASONS = {"0": "Fraud"}

# ``C23_ReasonForExtension``: only the codes 1 and 2 exist; their labels are inferred [I].
EXTENSION_REASONS = {
    "1": "Extension agreed between the parties",
    "2": "Other",
}
