# The root URLconf includes these in the namespace "clients", with the dossier and the personal data
# (``pages/urls.py``).
app_name = "clients"
# Registering is a page of the pages app, under this namespace (``clients:register``).
urlpatterns: list = []
