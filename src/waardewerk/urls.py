from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from waardewerk.accounts import views as accounts_views
from waardewerk.clients import urls as clients_urls
from waardewerk.pages import urls as pages_urls
from waardewerk.pages import views as pages_views
from waardewerk.trajectories import urls as trajectories_urls

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(require_POST(set_language)), name="set_language"),
    path("", include("waardewerk.accounts.urls")),
    # The dossier and the trajectory page are built by the pages app, under the names of their areas.
    path("", include((clients_urls.urlpatterns + pages_urls.clients, "clients"))),
    path("", include((trajectories_urls.urlpatterns + pages_urls.trajectories, "trajectories"))),
    path("", include((pages_urls.audit, "audit"))),
    path("", include("waardewerk.instruments.urls")),
    path("", include("waardewerk.knowledge.urls")),
    path("", include("waardewerk.matching.urls")),
    path("", include("waardewerk.intervision.urls")),
    path("", include("waardewerk.development.urls")),
    path("", include("waardewerk.insights.urls")),
    path("", include("waardewerk.quality.urls")),
    path("", include("waardewerk.reports.urls")),
    path("", include("waardewerk.portal.urls")),
    path("", include("waardewerk.agenda.urls")),
    path("", include("waardewerk.workday.urls")),
    path("", include("waardewerk.transfer.urls")),
    path("", include("waardewerk.api.urls")),
    path("", include("waardewerk.api.admin_urls")),
    path("", include("waardewerk.privacy.urls")),
]

# An unhandled error: 503 with a page of its own when the database is unreachable, the 500 page otherwise.
handler500 = "waardewerk.core.errors.server_error"
# Not found: a problem (application/problem+json) under /api/, the usual page elsewhere.
handler404 = "waardewerk.api.rest.page_not_found"
