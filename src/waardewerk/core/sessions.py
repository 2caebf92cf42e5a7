"""The session store (``SESSION_ENGINE``): Django's database store, with one difference.

When saving an existing session fails for any database error, Django's store reports "the session was
deleted during the request" (``UpdateError``), which the session middleware answers with "400 Bad
Request". A lost connection or a restarting server is not that: this store lets those errors through, so
the request ends in the Dutch 503 page ("try again in a minute", ``core.errors``) and a write of the same
request is rolled back (``WriteTransactionMiddleware``), as for any other moment the database goes away.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError

from waardewerk.core.errors import database_unavailable


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if cause is not None and database_unavailable(cause):
                raise cause from None
            raise
