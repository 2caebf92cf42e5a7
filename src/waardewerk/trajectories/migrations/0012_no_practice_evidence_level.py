"""The Dutch recognition system has no "practice-based" level: a choice that carried it keeps a mark of it
(``practice_based``, shown on the plan) and has no evidence level; its research source now counts as
missing unless it names a reference (docs/knowledge.md, "Plans that use it")."""

import json

from django.db import migrations


def forwards(apps, schema_editor):
    PlanVersion = apps.get_model("trajectories", "PlanVersion")
    for version in PlanVersion.objects.only("pk", "content").iterator(chunk_size=500):
        data = json.loads(version.content) if version.content else {}
        changed = False
        for choice in data.get("choices", []):
            if choice.get("evidence_level") == "practice":
                choice["evidence_level"] = ""
                choice["practice_based"] = True
                changed = True
        if changed:
            version.content = json.dumps(data, ensure_ascii=False, sort_keys=True)
            version.save(update_fields=["content"])


def backwards(apps, schema_editor):
    PlanVersion = apps.get_model("trajectories", "PlanVersion")
    for version in PlanVersion.objects.only("pk", "content").iterator(chunk_size=500):
        data = json.loads(version.content) if version.content else {}
        changed = False
        for choice in data.get("choices", []):
            if choice.pop("practice_based", False):
                if not choice.get("evidence_level"):
                    choice["evidence_level"] = "practice"
                changed = True
        if changed:
            version.content = json.dumps(data, ensure_ascii=False, sort_keys=True)
            version.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0011_emergency_access")]

    operations = [migrations.RunPython(forwards, backwards)]
