# The jobs registry (issue 13): each job's heartbeat row records its last run; retention periods are data.

from datetime import timedelta

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# The policy's values when this migration was written (core.retention holds the same defaults).
SEED = [
    (
        "notifications",
        timedelta(days=15),
        "Notifications are deleted 15 calendar days after they were created (business clock).",
    ),
    (
        "idempotency-records",
        timedelta(hours=24),
        "A2A Idempotency-Key records are kept 24 hours, within which a repeated request gets the first answer.",
    ),
    (
        "credential-failures",
        timedelta(minutes=15),
        "Counts of wrong A2A client secrets are deleted once their 15-minute window has ended "
        "(never sooner than the window itself).",
    ),
    (
        "idle-users",
        timedelta(days=90),
        "A user who has not signed in for 90 calendar days is disabled (real time).",
    ),
    (
        "disabled-users",
        timedelta(days=365),
        "A user disabled for 12 months (365 days) who acted on no claim that still exists is deleted.",
    ),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RetentionPeriod = apps.get_model("core", "RetentionPeriod")
    for name, period, policy in SEED:
        RetentionPeriod.objects.get_or_create(name=name, defaults={"period": period, "policy": policy})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_admin_console"),
    ]

    operations = [
        migrations.AddField(
            model_name="workerheartbeat",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="workerheartbeat",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="workerheartbeat",
            name="duration_seconds",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="workerheartbeat",
            name="result",
            field=models.CharField(
                blank=True,
                choices=[("running", "Running"), ("ok", "Ok"), ("failed", "Failed")],
                default="",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="workerheartbeat",
            name="error",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="workerheartbeat",
            name="succeeded_at",
            field=models.DateTimeField(blank=True, help_text="When the last ok run finished", null=True),
        ),
        migrations.AddField(
            model_name="workerheartbeat",
            name="claimed_for",
            field=models.DateField(
                blank=True, help_text="The day a daily job's run was claimed for (one run a day)", null=True
            ),
        ),
        migrations.CreateModel(
            name="RetentionPeriod",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=64, unique=True)),
                ("period", models.DurationField()),
                ("policy", models.TextField(help_text="The policy's own wording")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
