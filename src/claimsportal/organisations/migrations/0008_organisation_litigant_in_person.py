from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organisations", "0007_credentials_version_and_attempt_counts")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="litigant_in_person",
            field=models.BooleanField(
                default=False,
                help_text="An unrepresented claimant's one-person CR account: one claim, in their own name",
            ),
        ),
    ]
