from django.urls import path

from waardewerk.intervision import content_views, views

app_name = "intervision"
urlpatterns = [
    path("intervision/", views.groups, name="groups"),
    path("intervision/methods/", views.methods, name="methods"),
    path("intervision/methods/<slug:key>/", content_views.method_detail, name="method"),
    path("intervision/methods/<slug:key>/edit/", content_views.method_edit, name="method_edit"),
    path("intervision/methods/<slug:key>/import/", content_views.method_import, name="method_import"),
    path("intervision/methods/<slug:key>/export/", content_views.method_export, name="method_export"),
    path(
        "intervision/methods/<slug:key>/versions/<int:version>/",
        content_views.method_version,
        name="method_version",
    ),
    path("intervision/groups/new/", views.group_new, name="group_new"),
    path("intervision/groups/<uuid:group_id>/", views.group_detail, name="group"),
    path("intervision/groups/<uuid:group_id>/edit/", views.group_edit, name="group_edit"),
    path("intervision/groups/<uuid:group_id>/sessions/new/", views.session_new, name="session_new"),
    path("intervision/sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("intervision/sessions/<uuid:session_id>/record/", views.session_record, name="session_record"),
    path("intervision/sessions/<uuid:session_id>/attendance/", views.session_attendance, name="attendance"),
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
urlpatterns += [
    path("intervision/checkpoints/", content_views.checkpoints, name="checkpoints"),
    path("intervision/checkpoints/edit/", content_views.checkpoints_edit, name="checkpoints_edit"),
    path("intervision/checkpoints/import/", content_views.checkpoints_import, name="checkpoints_import"),
    path("intervision/checkpoints/export/", content_views.checkpoints_export, name="checkpoints_export"),
    path(
        "intervision/checkpoints/versions/<int:version>/",
        content_views.checkpoints_version,
        name="checkpoints_version",
    ),
    path(
        "intervision/groups/<uuid:group_id>/presentations/new/",
        views.presentation_new,
        name="presentation_new",
    ),
    path("intervision/presentations/<uuid:presentation_id>/", views.presentation_detail, name="presentation"),
    path(
        "intervision/presentations/<uuid:presentation_id>/edit/",
        views.presentation_edit,
        name="presentation_edit",
    ),
    path(
        "intervision/presentations/<uuid:presentation_id>/share/",
        views.presentation_confirm,
        name="presentation_confirm",
    ),
    path(
        "intervision/presentations/<uuid:presentation_id>/withdraw/",
        views.presentation_withdraw,
        name="presentation_withdraw",
    ),
    path(
        "intervision/presentations/<uuid:presentation_id>/review/",
        views.presentation_review,
        name="presentation_review",
    ),
    path("intervision/reviews/", views.reviews, name="reviews"),
    path("intervision/reviews/new/", views.review_new, name="review_new"),
    path("intervision/reviews/<uuid:review_id>/", views.review_detail, name="review"),
]
