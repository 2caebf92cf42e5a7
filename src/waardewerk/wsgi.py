import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waardewerk.conf.settings")
application = get_wsgi_application()

if not settings.DEBUG:
    from waardewerk.core.warmup import warm_up

    warm_up()  # before this worker accepts requests, not during its first one
