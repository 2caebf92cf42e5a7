"""What the API shows of each resource, in camelCase (NL API Design Rules). Objects are named by their
public id (``id``: the UUID), never by a database key; references to other resources are their public ids."""

import json

from rest_framework import serializers

from waardewerk.instruments.models import Respondent
from waardewerk.timeline.models import Kind
from waardewerk.trajectories.models import Phase


class ClientSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    firstName = serializers.CharField(source="first_name")
    infix = serializers.CharField()
    lastName = serializers.CharField(source="last_name")
    dateOfBirth = serializers.DateField(source="date_of_birth")
    email = serializers.CharField()
    phone = serializers.CharField()
    street = serializers.CharField()
    postalCode = serializers.CharField(source="postal_code")
    city = serializers.CharField()
    bsnMasked = serializers.CharField(source="bsn_masked", help_text="Only the last three digits are shown.")
    createdAt = serializers.DateTimeField(source="created_at")


class TrajectorySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    client = serializers.UUIDField(source="client.uuid")
    team = serializers.CharField(source="team.name", allow_null=True)
    context = serializers.CharField()
    phase = serializers.CharField()
    phaseSince = serializers.DateTimeField(source="phase_since")
    startDate = serializers.DateField(source="start_date")
    endDate = serializers.DateField(source="end_date", allow_null=True)
    endReason = serializers.CharField(source="end_reason")
    measurementDueOn = serializers.DateField(source="measurement_due_on", allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    event = serializers.CharField()
    occurredAt = serializers.DateTimeField(source="occurred_at")
    sourceType = serializers.CharField(source="source_type")
    sourceId = serializers.UUIDField(source="source_id", allow_null=True)


class MeasurementSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    trajectory = serializers.UUIDField(source="trajectory.uuid")
    instrument = serializers.CharField(source="instrument.key")
    instrumentVersion = serializers.IntegerField(source="instrument_version.version")
    respondent = serializers.CharField()
    framing = serializers.CharField()
    phase = serializers.CharField()
    takenOn = serializers.DateField(source="taken_on")
    status = serializers.CharField()
    submittedAt = serializers.DateTimeField(source="submitted_at", allow_null=True)
    answers = serializers.DictField(child=serializers.JSONField())
    score = serializers.DictField(child=serializers.JSONField())


class MeasurementSubmitSerializer(serializers.Serializer):
    """A measurement to submit: checked by the same service as the pages (``measurement_save``)."""

    trajectory = serializers.UUIDField()
    instrument = serializers.CharField(max_length=100)
    respondent = serializers.ChoiceField(choices=Respondent.choices)
    framing = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    takenOn = serializers.DateField()
    answers = serializers.DictField(child=serializers.JSONField(), allow_empty=False)
    notes = serializers.DictField(child=serializers.CharField(max_length=1000), required=False, default=dict)

    def validate_answers(self, value):
        if len(value) > 500 or len(json.dumps(value)) > 100_000:
            raise serializers.ValidationError("Too many answers.")
        return value


class PlanSerializer(serializers.Serializer):
    trajectory = serializers.UUIDField(source="trajectory.uuid")
    version = serializers.IntegerField(source="number")
    createdAt = serializers.DateTimeField(source="created_at")
    reason = serializers.CharField()
    goals = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))
    choices = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))
    agreed = serializers.BooleanField()


class ActionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    trajectory = serializers.UUIDField(source="trajectory.uuid")
    description = serializers.CharField()
    owner = serializers.CharField()
    agreedOn = serializers.DateField(source="agreed_on")
    dueDate = serializers.DateField(source="due_date")
    status = serializers.CharField()
    completedOn = serializers.DateField(source="completed_on", allow_null=True)


class ConversationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    trajectory = serializers.UUIDField(source="trajectory.uuid")
    date = serializers.DateField()
    mode = serializers.CharField()
    phase = serializers.CharField()
    participants = serializers.ListField(child=serializers.CharField())
    topics = serializers.ListField(child=serializers.CharField())
    notes = serializers.SerializerMethodField(help_text="Only with the scope conversations:notes; else null.")

    def get_notes(self, obj) -> str | None:
        return obj.summary if self.context.get("with_notes") else None


class EmployerSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    kvkNumber = serializers.CharField(source="kvk_number")
    sector = serializers.CharField()
    size = serializers.CharField()
    city = serializers.CharField()


class JobSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    employer = serializers.UUIDField(source="employer.uuid")
    title = serializers.CharField()
    occupation = serializers.CharField(help_text="CBS BRC 2014 code.")
    hours = serializers.IntegerField(allow_null=True)
    contract = serializers.CharField()
    city = serializers.CharField()
    isOpen = serializers.BooleanField(source="is_open")


class PlacementSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    trajectory = serializers.UUIDField(source="trajectory.uuid")
    job = serializers.UUIDField(source="job.uuid")
    startDate = serializers.DateField(source="start_date")
    contract = serializers.CharField()
    hours = serializers.IntegerField(allow_null=True)
    wageSubsidy = serializers.BooleanField(source="wage_subsidy")
    noRiskPolicy = serializers.BooleanField(source="no_risk_policy")


class TrajectoryFilter(serializers.Serializer):
    trajectory = serializers.UUIDField(required=False)


class TrajectoryListFilter(serializers.Serializer):
    client = serializers.UUIDField(required=False)
    phase = serializers.ChoiceField(required=False, choices=Phase.choices)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


class NoFilter(serializers.Serializer):
    pass
