from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Page builders that compose a screen from several apps' selectors: the start page, the navigation."""

    name = "waardewerk.pages"
    label = "pages"
