"""Printable documents remember the compensator they were created for, and the worker's retries
back off; the claim foreign keys lose their single-column indexes (the (claim, created_at) indexes
serve every lookup by claim)."""

import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import OuterRef, Subquery


def backfill_compensator(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Documents created before this migration did not record their compensator. The claim's
    current compensator is the best there is: right for every claim that never moved, and for a
    claim resent to another compensator it means the new one sees the earlier documents (as it did
    before this migration) and the first one no longer does (it cannot see the claim anyway)."""
    PrintableDocument = apps.get_model("documents", "PrintableDocument")
    Claim = apps.get_model("claims", "Claim")
    current = Claim.objects.filter(pk=OuterRef("claim_id")).values("comp_organisation_id")[:1]
    PrintableDocument.objects.filter(comp_organisation__isnull=True).update(
        comp_organisation_id=Subquery(current)
    )


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_attachments_and_printable_documents"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="printabledocument",
            name="document_to_render",
        ),
        migrations.AddField(
            model_name="printabledocument",
            name="comp_organisation",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddField(
            model_name="printabledocument",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="printabledocument",
            name="render_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="claim",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="claims.claim",
            ),
        ),
        migrations.AlterField(
            model_name="printabledocument",
            name="claim",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="printable_documents",
                to="claims.claim",
            ),
        ),
        migrations.AddIndex(
            model_name="printabledocument",
            index=models.Index(
                condition=models.Q(("rendered_at__isnull", True)),
                fields=["next_attempt_at", "created_at", "id"],
                name="document_to_render",
            ),
        ),
        # Last: on PostgreSQL an UPDATE of a column with a (deferred) foreign key leaves trigger
        # events pending, and no ALTER TABLE of the table may follow it in the transaction.
        migrations.RunPython(backfill_compensator, migrations.RunPython.noop, elidable=True),
    ]
