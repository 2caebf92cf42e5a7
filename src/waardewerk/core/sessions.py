"""The session store (``SESSION_ENGINE``): Django's database store, with two differences.

When saving an existing session fails for any database error, Django's store reports "the session was
deleted during the request" (``UpdateError``), which the session middleware answers with "400 Bad
Request". A lost connection or a restarting server is not that: this store lets those errors through, so
the request ends in the Dutch 503 page ("try again in a minute", ``core.errors``) and a write of the same
request is rolled back (``WriteTransactionMiddleware``), as for any other moment the database goes away.

Every signed-in request reads its session: Django's store builds and compiles the same ``get`` on each
one, which cost more Python than the rest of signing in (docs/performance.md). ``load`` reads the session's
data with that query compiled once per process (``core.compiled``); a session that is not found (expired,
unknown) goes Django's own way, which forgets the key.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.errors import database_unavailable

# The data of an unexpired session, as Django's store asks for it (``session_key``, ``expire_date__gt``).
SESSION_DATA = CompiledQuery(
    lambda *, key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data"
    ),
    rows="flat",
)


class SessionStore(db.SessionStore):
    def load(self):
        key = self.session_key
        if isinstance(key, str):
            found = SESSION_DATA(key=key, now=timezone.now())
            if found:
                return self.decode(found[0])
        # Not found (or no text key): Django's way, which also forgets the key.
        return super().load()

    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if cause is not None and database_unavailable(cause):
                raise cause from None
            raise
