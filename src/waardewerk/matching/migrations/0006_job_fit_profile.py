"""The scores the fit reads per job (its own, else its employer's), kept with the job so the fit list ranks
in the database; filled here for the jobs that exist."""

from django.db import migrations, models

SCALE = range(1, 6)
BATCH = 1000


def merged(job_profile, employer_profile):
    # As ``matching.fit.merged_profile`` at the time of this migration (a migration keeps its own copy).
    result = {key: score for key, score in (employer_profile or {}).items() if score in SCALE}
    result.update({key: score for key, score in (job_profile or {}).items() if score in SCALE})
    return result


def fill(apps, schema_editor):
    Job = apps.get_model("matching", "Job")
    batch = []
    for job in Job.objects.select_related("employer").only("pk", "profile", "employer__profile").iterator(
        chunk_size=BATCH
    ):
        job.fit_profile = merged(job.profile, job.employer.profile)
        batch.append(job)
        if len(batch) == BATCH:
            Job.objects.bulk_update(batch, ["fit_profile"])
            batch = []
    Job.objects.bulk_update(batch, ["fit_profile"])


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_job_functional_demands"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="fit_profile",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="value profile for the fit"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
