"""Idempotency records become reservations first (status null until answered) and keep the answer as
its JSON text (jsonb reorders keys). Records live 24 hours: the old answers are simply dropped."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("a2a", "0002_credential_failures"),
    ]

    operations = [
        migrations.RemoveField(model_name="idempotencyrecord", name="response"),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="answer",
            field=models.TextField(
                blank=True, default="", help_text="The JSON text first sent, keys in order"
            ),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="status_code",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
