"""How measurements appear in a trajectory's timeline (``waardewerk.timeline``).

The entry carries the instrument's title and the result line in every language of the interface, written
when the measurement is submitted, so the timeline needs no definitions to show it. Works on the
historical models of a migration too (attributes only).
"""

from django.conf import settings
from django.utils import translation

from waardewerk.instruments.definition import Definition
from waardewerk.instruments.effect import score_summary
from waardewerk.timeline.models import CLIENT
from waardewerk.timeline.services import moment, timeline_entry


def measurement(measurement, definition: Definition, *, results: dict | None = None):
    """The entry of a submitted measurement (or a correction: the entry names the reason). ``results``: a
    cache for many measurements at once (the generator): the result line in the other languages, by
    instrument version and the Dutch line."""
    languages = [code for code, _name in settings.LANGUAGES]
    with translation.override(languages[0]):
        first = score_summary(definition, measurement.score)
    key = (definition.data.get("key"), definition.data.get("version"), first)
    result = results.get(key) if results is not None else None
    if result is None:
        result = {languages[0]: first}
        for language in languages[1:]:
            with translation.override(language):
                result[language] = score_summary(definition, measurement.score)
        if results is not None:
            results[key] = result
    data = {
        "instrument": definition.data.get("short_title") or definition.data["title"],
        "respondent": measurement.respondent,
        "result": result,
    }
    if measurement.corrects_id:
        data["correction"] = True
    return timeline_entry(
        trajectory=measurement.trajectory_id,
        event="measurement",
        occurred_at=moment(measurement.taken_on, measurement.submitted_at),
        actor=CLIENT if measurement.entered_by_client else measurement.entered_by_id,
        data=data,
        texts={"reason": measurement.correction_reason} if measurement.corrects_id else {},
        source=measurement,
    )


def backfill(apps, trajectory_ids=None) -> list:
    """The entries of the submitted measurements that existed before the timeline, oldest first."""
    query = (
        apps.get_model("instruments", "Measurement")
        .objects.filter(status="submitted")
        .select_related("instrument_version")
        .order_by("taken_on", "submitted_at", "pk")
    )
    if trajectory_ids is not None:
        query = query.filter(trajectory_id__in=trajectory_ids)
    definitions = {}
    entries = []
    for row in query.iterator(chunk_size=2000):
        version = row.instrument_version
        if version.pk not in definitions:
            definitions[version.pk] = Definition(version.definition)
        entries.append(measurement(row, definitions[version.pk]))
    return entries
