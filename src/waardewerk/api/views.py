"""The API's endpoints (docs/api.md). Thin: fetch through the policies (``api.policies`` and the domain
policies, which know the application actor), log the read, serialize. A submitted measurement goes through
``instruments.services.measurement_save``, the service of the pages."""

import json

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from waardewerk.accounts.actor import application_allows
from waardewerk.api import policies
from waardewerk.api import serializers as s
from waardewerk.api.rest import ApiView, Pagination, created
from waardewerk.audit.services import audit_read, audit_reads
from waardewerk.clients.models import anonymised
from waardewerk.instruments import services as instrument_services
from waardewerk.instruments.models import InstrumentVersion
from waardewerk.instruments.policies import measurable_trajectories, visible_measurements
from waardewerk.matching.policies import visible_employers, visible_jobs, visible_placements
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import PlanAgreement
from waardewerk.trajectories.policies import visible_clients, visible_trajectories


def docs(request):
    """The documentation page: Swagger UI from this server (drf-spectacular-sidecar), no CDN."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})


def _filters(serializer_class, request) -> dict:
    filters = serializer_class(data=request.query_params.dict())  # "x=" is a value to check, not absent
    filters.is_valid(raise_exception=True)
    return {key: value for key, value in filters.validated_data.items() if value is not None}


def _log(actor, objects, client_of=lambda obj: None) -> None:
    audit_reads(actor=actor, reads=((client_of(obj), obj) for obj in objects), detail={"api": True})


class ListView(ListModelMixin, ApiView):
    """A paginated list: one query for the page, whatever its position."""

    filter_class = s.TrajectoryFilter

    def client_of(self, obj):
        return obj.trajectory.client

    def known_parameters(self):
        return set(self.filter_class().fields) | {"cursor", "pageSize"}

    def scoped(self):
        raise NotImplementedError

    def filtered(self, queryset, filters):
        if "trajectory" in filters:
            queryset = queryset.filter(trajectory__uuid=filters["trajectory"])
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filtered(self.scoped(), _filters(self.filter_class, request))
        page = self.paginate_queryset(queryset)
        _log(request.user, page, self.client_of)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get(self, request):
        return self.list(request)


class DetailView(ApiView):
    def client_of(self, obj):
        return obj.trajectory.client

    def get(self, request, id):
        obj = get_object_or_404(self.scoped(), uuid=id)
        _log(request.user, [obj], self.client_of)
        return Response(self.get_serializer(obj).data)


# Clients ---------------------------------------------------------------------------------------------------


class ClientMixin:
    required_scope = "clients:read"
    serializer_class = s.ClientSerializer

    def client_of(self, obj):
        return obj

    def scoped(self):
        return visible_clients(self.request.user)


@extend_schema(tags=["clients"], summary="List the clients")
class ClientList(ClientMixin, ListView):
    filter_class = s.NoFilter

    def scoped(self):
        # An anonymised file is no client any more: left out of the list, as out of the staff's lists
        # (docs/privacy.md, "Anonymised files in lists").
        return super().scoped().exclude(anonymised())

    def filtered(self, queryset, filters):
        return queryset


class ClientDetail(ClientMixin, DetailView):
    @extend_schema(tags=["clients"], summary="One client")
    def get(self, request, id):
        return super().get(request, id)


# Trajectories ----------------------------------------------------------------------------------------------


class TrajectoryMixin:
    required_scope = "trajectories:read"
    serializer_class = s.TrajectorySerializer

    def client_of(self, obj):
        return obj.client

    def scoped(self):
        return visible_trajectories(self.request.user).select_related("client", "team")


class TrajectoryList(TrajectoryMixin, ListView):
    filter_class = s.TrajectoryListFilter

    def filtered(self, queryset, filters):
        if "client" in filters:
            queryset = queryset.filter(client__uuid=filters["client"])
        if "phase" in filters:
            queryset = queryset.filter(phase=filters["phase"])
        if "open" in filters:
            queryset = queryset.filter(end_date__isnull=filters["open"])
        return queryset

    @extend_schema(
        tags=["trajectories"], summary="List the trajectories", parameters=[s.TrajectoryListFilter]
    )
    def get(self, request):
        return super().get(request)


class TrajectoryDetail(TrajectoryMixin, DetailView):
    @extend_schema(tags=["trajectories"], summary="One trajectory: its phase and context")
    def get(self, request, id):
        return super().get(request, id)


class HistoryPagination(Pagination):
    ordering = ("-occurred_at", "-id")


class TrajectoryHistory(ApiView):
    """The trajectory's history: its timeline's events (kind, event, when, the object it concerns), without
    their texts."""

    required_scope = "trajectories:read"
    serializer_class = s.HistoryEntrySerializer
    pagination_class = HistoryPagination

    def known_parameters(self):
        return {"cursor", "pageSize"}

    @extend_schema(tags=["trajectories"], summary="A trajectory's history")
    def get(self, request, id):
        trajectory = get_object_or_404(visible_trajectories(request.user).select_related("client"), uuid=id)
        entries = TimelineEntry.objects.filter(trajectory=trajectory).only(
            "kind", "event", "occurred_at", "source_type", "source_id", "trajectory_id"
        )
        page = self.paginate_queryset(entries)
        audit_read(
            actor=request.user,
            client=trajectory.client,
            obj=trajectory,
            detail={"api": True, "history": True},
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TrajectoryPlan(ApiView):
    required_scope = "trajectories:read"
    serializer_class = s.PlanSerializer

    @extend_schema(tags=["plans"], summary="A trajectory's current plan")
    def get(self, request, id):
        trajectory = get_object_or_404(visible_trajectories(request.user).select_related("client"), uuid=id)
        if not application_allows(request.user, "plans:read"):
            raise exceptions.PermissionDenied("This application has no scope plans:read for this resource.")
        plans = policies.visible_plan_versions(request.user)
        version = (
            plans.filter(trajectory=trajectory)
            .annotate(is_agreed=Exists(PlanAgreement.objects.filter(plan_version=OuterRef("pk"))))
            .order_by("-number")
            .first()
        )
        if version is None:
            raise exceptions.NotFound("This trajectory has no plan yet.")
        version.trajectory = trajectory
        content = json.loads(version.content or "{}")
        data = {
            "trajectory": trajectory,
            "number": version.number,
            "created_at": version.created_at,
            "reason": version.reason,
            "goals": content.get("goals", []),
            "choices": content.get("choices", []),
            "agreed": version.is_agreed,
        }
        audit_read(actor=request.user, client=trajectory.client, obj=version, detail={"api": True})
        return Response(self.get_serializer(data).data)


# Measurements ----------------------------------------------------------------------------------------------


class MeasurementMixin:
    required_scope = "measurements:read"
    serializer_class = s.MeasurementSerializer

    def scoped(self):
        return visible_measurements(self.request.user).select_related(
            "trajectory__client", "instrument", "instrument_version"
        )


class MeasurementList(MeasurementMixin, ListView):
    http_method_names = ["get", "head", "post"]

    def get_serializer_class(self):
        if self.request.method == "POST":
            return s.MeasurementSubmitSerializer
        return s.MeasurementSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            self.required_scope = "measurements:write"
        return super().get_permissions()

    @extend_schema(
        tags=["measurements"],
        summary="List the submitted measurements",
        parameters=[OpenApiParameter("trajectory", OpenApiTypes.UUID, description="A trajectory's id")],
    )
    def get(self, request):
        return super().get(request)

    @extend_schema(
        tags=["measurements"],
        summary="Submit a measurement",
        request=s.MeasurementSubmitSerializer,
        responses={201: s.MeasurementSerializer},
    )
    def post(self, request):
        form = s.MeasurementSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # The trajectory as the service's policy allows it (open, of the application's organisation); the
        # service checks the policy again.
        trajectory = (
            measurable_trajectories(request.user)
            .filter(uuid=data["trajectory"])
            .select_related("client")
            .first()
        )
        if trajectory is None:
            raise exceptions.ValidationError({"trajectory": ["No such trajectory for this application."]})
        try:
            version = instrument_services.current_version(data["instrument"])
        except InstrumentVersion.DoesNotExist:
            raise exceptions.ValidationError({"instrument": ["No such instrument."]}) from None
        try:
            measurement = instrument_services.measurement_save(
                actor=request.user,
                trajectory=trajectory,
                version=version,
                respondent=data["respondent"],
                framing=data["framing"],
                taken_on=data["takenOn"],
                answers=data["answers"],
                notes=data["notes"],
                submit=True,
            )
        except instrument_services.MeasurementErrors as exc:
            errors = {_field(name): [message] for name, message in exc.fields.items()}
            for item in exc.items:
                errors.setdefault("answers", {})[item.item] = [item.message]
            raise exceptions.ValidationError(errors) from None
        measurement.trajectory = trajectory
        return created(s.MeasurementSerializer(measurement).data)


def _field(name: str) -> str:
    return {"taken_on": "takenOn"}.get(name, name)


class MeasurementDetail(MeasurementMixin, DetailView):
    @extend_schema(tags=["measurements"], summary="One measurement")
    def get(self, request, id):
        return super().get(request, id)


# Actions and conversations ----------------------------------------------------------------------------------


class ActionMixin:
    required_scope = "trajectories:read"
    serializer_class = s.ActionSerializer

    def scoped(self):
        return policies.api_actions(self.request.user).select_related("trajectory__client")


class ActionList(ActionMixin, ListView):
    @extend_schema(
        tags=["actions"],
        summary="List the actions",
        parameters=[OpenApiParameter("trajectory", OpenApiTypes.UUID, description="A trajectory's id")],
    )
    def get(self, request):
        return super().get(request)


class ActionDetail(ActionMixin, DetailView):
    @extend_schema(tags=["actions"], summary="One action")
    def get(self, request, id):
        return super().get(request, id)


class ConversationMixin:
    required_scope = "trajectories:read"
    serializer_class = s.ConversationSerializer

    def scoped(self):
        queryset = policies.api_conversations(self.request.user).select_related("trajectory__client")
        if not policies.may_read_conversation_notes(self.request.user):
            queryset = queryset.defer("summary")
        return queryset

    def get_serializer_context(self):
        return super().get_serializer_context() | {
            "with_notes": policies.may_read_conversation_notes(self.request.user)
        }


class ConversationList(ConversationMixin, ListView):
    @extend_schema(
        tags=["conversations"],
        summary="List the conversations (metadata; notes only with conversations:notes)",
        parameters=[OpenApiParameter("trajectory", OpenApiTypes.UUID, description="A trajectory's id")],
    )
    def get(self, request):
        return super().get(request)


class ConversationDetail(ConversationMixin, DetailView):
    @extend_schema(tags=["conversations"], summary="One conversation")
    def get(self, request, id):
        return super().get(request, id)


# Employers, jobs, placements ------------------------------------------------------------------------------


class EmployerMixin:
    required_scope = "matching:read"
    serializer_class = s.EmployerSerializer

    def client_of(self, obj):
        return None

    def scoped(self):
        return visible_employers(self.request.user)


class EmployerList(EmployerMixin, ListView):
    filter_class = s.NoFilter

    def filtered(self, queryset, filters):
        return queryset

    @extend_schema(tags=["employers"], summary="List the employers")
    def get(self, request):
        return super().get(request)


class EmployerDetail(EmployerMixin, DetailView):
    @extend_schema(tags=["employers"], summary="One employer")
    def get(self, request, id):
        return super().get(request, id)


class JobMixin(EmployerMixin):
    serializer_class = s.JobSerializer

    def scoped(self):
        return visible_jobs(self.request.user).select_related("employer")


class JobList(JobMixin, ListView):
    filter_class = s.NoFilter

    def filtered(self, queryset, filters):
        return queryset

    @extend_schema(tags=["jobs"], summary="List the jobs")
    def get(self, request):
        return super().get(request)


class JobDetail(JobMixin, DetailView):
    @extend_schema(tags=["jobs"], summary="One job")
    def get(self, request, id):
        return super().get(request, id)


class PlacementMixin:
    required_scope = "matching:read"
    serializer_class = s.PlacementSerializer

    def scoped(self):
        return visible_placements(self.request.user).select_related("trajectory__client", "job")


class PlacementList(PlacementMixin, ListView):
    @extend_schema(
        tags=["placements"],
        summary="List the placements",
        parameters=[OpenApiParameter("trajectory", OpenApiTypes.UUID, description="A trajectory's id")],
    )
    def get(self, request):
        return super().get(request)


class PlacementDetail(PlacementMixin, DetailView):
    @extend_schema(tags=["placements"], summary="One placement")
    def get(self, request, id):
        return super().get(request, id)
