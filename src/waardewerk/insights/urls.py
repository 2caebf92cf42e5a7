from django.urls import path

from waardewerk.insights import views

app_name = "insights"
urlpatterns = [
    path("evidence/", views.overview, name="overview"),
    path("evidence/entries/<slug:key>/", views.entry, name="entry"),
    path("admin-area/research-export/", views.research_export, name="research_export"),
]
