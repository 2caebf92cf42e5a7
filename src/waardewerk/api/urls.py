"""The API's addresses: ``/api/v1/`` (the major version in the path), the schema and its documentation."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularAPIView

from waardewerk.api import views


def _open(view_class, **kwargs):
    """An API view: the application's token authenticates it, not the staff log-in."""
    return login_not_required(view_class.as_view(**kwargs))


app_name = "api"
urlpatterns = [
    path("api/v1/schema/", _open(SpectacularAPIView), name="schema"),
    path("api/v1/docs/", login_not_required(require_GET(views.docs)), name="docs"),
    path("api/v1/clients/", _open(views.ClientList), name="clients"),
    path("api/v1/clients/<uuid:id>/", _open(views.ClientDetail), name="client"),
    path("api/v1/trajectories/", _open(views.TrajectoryList), name="trajectories"),
    path("api/v1/trajectories/<uuid:id>/", _open(views.TrajectoryDetail), name="trajectory"),
    path("api/v1/trajectories/<uuid:id>/history/", _open(views.TrajectoryHistory), name="trajectory_history"),
    path("api/v1/trajectories/<uuid:id>/plan/", _open(views.TrajectoryPlan), name="trajectory_plan"),
    path("api/v1/measurements/", _open(views.MeasurementList), name="measurements"),
    path("api/v1/measurements/<uuid:id>/", _open(views.MeasurementDetail), name="measurement"),
    path("api/v1/actions/", _open(views.ActionList), name="actions"),
    path("api/v1/actions/<uuid:id>/", _open(views.ActionDetail), name="action"),
    path("api/v1/conversations/", _open(views.ConversationList), name="conversations"),
    path("api/v1/conversations/<uuid:id>/", _open(views.ConversationDetail), name="conversation"),
    path("api/v1/employers/", _open(views.EmployerList), name="employers"),
    path("api/v1/employers/<uuid:id>/", _open(views.EmployerDetail), name="employer"),
    path("api/v1/jobs/", _open(views.JobList), name="jobs"),
    path("api/v1/jobs/<uuid:id>/", _open(views.JobDetail), name="job"),
    path("api/v1/placements/", _open(views.PlacementList), name="placements"),
    path("api/v1/placements/<uuid:id>/", _open(views.PlacementDetail), name="placement"),
]
