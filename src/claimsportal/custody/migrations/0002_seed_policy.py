"""The retention rules as the operator's policy states them (custody.policy)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from claimsportal.custody.rules import load_policy

    load_policy(apps.get_model("custody", "RetentionRule"))


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
