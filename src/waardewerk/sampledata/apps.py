from django.apps import AppConfig


class SampledataConfig(AppConfig):
    """The demo organisation (``waardewerk demo``) and the generator at scale (``waardewerk generate``).

    The top floor: it uses every other app's models and services, and nothing imports it.
    """

    name = "waardewerk.sampledata"
    label = "sampledata"
