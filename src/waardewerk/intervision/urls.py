from django.urls import path

from waardewerk.intervision import views

app_name = "intervision"
urlpatterns = [
    path("intervision/", views.groups, name="groups"),
    path("intervision/methods/", views.methods, name="methods"),
    path("intervision/methods/<slug:key>/", views.method_detail, name="method"),
    path("intervision/groups/new/", views.group_new, name="group_new"),
    path("intervision/groups/<uuid:group_id>/", views.group_detail, name="group"),
    path("intervision/groups/<uuid:group_id>/edit/", views.group_edit, name="group_edit"),
    path("intervision/groups/<uuid:group_id>/sessions/new/", views.session_new, name="session_new"),
    path("intervision/sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("intervision/sessions/<uuid:session_id>/record/", views.session_record, name="session_record"),
    path(
        "intervision/sessions/<uuid:session_id>/experiments/new/",
        views.experiment_add,
        name="experiment_add",
    ),
    path(
        "intervision/sessions/<uuid:session_id>/experiments/<uuid:experiment_id>/reflection/",
        views.experiment_reflect,
        name="reflection",
    ),
]
