from django.urls import path

from waardewerk.clients import views

# The root URLconf includes these in the namespace "clients", with the dossier and the personal data
# (``pages/urls.py``).
app_name = "clients"
urlpatterns = [
    path("clients/new/", views.register, name="register"),
]
