"""The Part 22 statement of truth wordings (ADMINISTRATION.md §8.2): before 6 April 2020 (PD 22 para
2.1) and from 6 April 2020 (the 113th PD update, with the contempt-of-court sentence), each in the
claimant's and the legal representative's variant."""

from typing import Any

from django.db import migrations

BELIEF_CLAIMANT = "I believe that the facts stated in this {document} are true."
BELIEF_REPRESENTATIVE = "The claimant believes that the facts stated in this {document} are true."
AUTHORISED = "I am duly authorised by the claimant to sign this statement."
CONTEMPT = (
    "understand{s} that proceedings for contempt of court may be brought against anyone who makes, or "
    "causes to be made, a false statement in a document verified by a statement of truth without an "
    "honest belief in its truth."
)
WORDINGS = [
    ("2000-01-01", "C", BELIEF_CLAIMANT, "CPR PD 22 para 2.1"),
    ("2000-01-01", "S", f"{BELIEF_REPRESENTATIVE} {AUTHORISED}", "CPR PD 22 para 2.1"),
    ("2020-04-06", "C", f"{BELIEF_CLAIMANT} I {CONTEMPT.format(s='')}", "CPR PD 22, 113th PD update"),
    (
        "2020-04-06",
        "S",
        f"{BELIEF_REPRESENTATIVE} The claimant {CONTEMPT.format(s='s')} {AUTHORISED}",
        "CPR PD 22, 113th PD update",
    ),
]


def load(apps: Any, schema_editor: Any) -> None:
    wording = apps.get_model("publishing", "StatementOfTruthWording")
    for effective_from, signatory, text, source in WORDINGS:
        wording.objects.get_or_create(
            effective_from=effective_from, signatory=signatory, defaults={"text": text, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_statement_of_truth")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
