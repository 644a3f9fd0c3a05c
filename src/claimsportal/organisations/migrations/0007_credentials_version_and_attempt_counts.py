"""The credentials version (one row, created here) and the attempt counts of the web throttles."""

from django.db import migrations, models


def create_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("organisations", "CredentialsVersion").objects.get_or_create(pk=1, defaults={"version": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0006_a2a_secret_changed_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="CredentialsVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="AttemptCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("window_started_at", models.DateTimeField()),
            ],
            options={
                "indexes": [models.Index(fields=["window_started_at"], name="attempt_count_window")],
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
