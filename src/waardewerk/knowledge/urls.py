from django.urls import path

from waardewerk.knowledge import entry_views, principle_views, views

app_name = "knowledge"
urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("admin-area/guide/", views.admin, name="admin"),
    path("admin-area/guide/download/", views.download, name="download"),
    path("admin-area/guide/versions/<int:version>/", views.version_detail, name="version"),
    path("admin-area/guide/phases/<slug:phase>/topics/new/", views.topic_add, name="topic_add"),
    path("admin-area/guide/topics/<slug:key>/", views.topic_edit, name="topic_edit"),
    path("admin-area/guide/topics/<slug:key>/remove/", views.topic_remove, name="topic_remove"),
    path("admin-area/guide/topics/<slug:key>/move/", views.topic_move, name="topic_move"),
    path("principles/", principle_views.principles, name="principles"),
    path("principles/new/", principle_views.principle_add, name="principle_add"),
    path("principles/<slug:key>/edit/", principle_views.principle_edit, name="principle_edit"),
    path("knowledge-base/", entry_views.entries, name="entries"),
    path("knowledge-base/new/", entry_views.entry_new, name="entry_new"),
    path("knowledge-base/entries/<slug:key>/", entry_views.entry, name="entry"),
    path("knowledge-base/entries/<slug:key>/edit/", entry_views.entry_edit, name="entry_edit"),
    path("knowledge-base/entries/<slug:key>/review/", entry_views.entry_review, name="entry_review"),
    path("knowledge-base/entries/<slug:key>/withdraw/", entry_views.entry_withdraw, name="entry_withdraw"),
    path(
        "knowledge-base/entries/<slug:key>/versions/<int:version>/",
        entry_views.entry_version,
        name="entry_version",
    ),
    path("knowledge-base/editor/", entry_views.editor, name="editor"),
    path("knowledge-base/editor/import/", entry_views.entries_import, name="entries_import"),
    path("knowledge-base/editor/export/", entry_views.entries_export, name="entries_export"),
]
