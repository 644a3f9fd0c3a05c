"""The retention rules as the operator's policy states them (custody.policy)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from claimsportal.custody.policy import POLICY

    RetentionRule = apps.get_model("custody", "RetentionRule")
    for position, rule in enumerate(POLICY, start=1):
        RetentionRule.objects.update_or_create(
            code=rule.code,
            defaults={
                "position": position,
                "category": rule.category,
                "wording": rule.wording,
                "phases": list(rule.phases),
                "clock": rule.clock,
                "days": rule.days,
                "months": rule.months,
                "action": rule.action,
                "adults_only": rule.adults_only,
                "protects_children": rule.protects_children,
                "note": rule.note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
