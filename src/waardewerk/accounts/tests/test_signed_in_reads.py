"""Signing in reads the session and the user with SQL compiled once (``core.sessions``, ``UserManager.get``):
the same data and the same user as Django's own queries, one query each, and a relation's manager still
filters."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waardewerk.accounts.models import User
from waardewerk.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _fields(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_user_by_primary_key_is_the_orms(professional):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):  # compiled the first time, reused the second
            user = User.objects.get(pk=professional.pk)
    assert len(queries) == 2
    orm = User.objects.filter(pk=professional.pk).get()
    assert user == orm and _fields(user) == _fields(orm)
    assert user._state.adding is False and user._state.db == "default"
    assert user.organisation == professional.organisation and user.get_role_display()


def test_an_unknown_user_does_not_exist(professional):
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist."):
        User.objects.get(pk=professional.pk + 1000)


def test_a_relations_manager_still_filters(professional, colleague, organisation, team, functional_admin):
    assert team.members.get(pk=professional.pk) == professional
    with pytest.raises(User.DoesNotExist):
        team.members.get(pk=functional_admin.pk)  # of the organisation, not of the team
    assert organisation.users.get(pk=functional_admin.pk) == functional_admin
    assert User.objects.get(pk=professional.pk, username=professional.username) == professional


def test_the_session_data_is_djangos():
    store = SessionStore()
    store["answer"] = 42
    store["when"] = "2026-12-03"
    store.save()
    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(store.session_key).load()
    assert len(queries) == 1
    assert loaded == DjangoStore(store.session_key).load() == {"answer": 42, "when": "2026-12-03"}


def test_an_expired_or_unknown_session_is_empty_and_forgotten():
    store = SessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(1))
    for key in (store.session_key, "x" * 32):
        ours, djangos = SessionStore(key), DjangoStore(key)
        assert ours.load() == djangos.load() == {}
        assert ours.session_key is None and djangos.session_key is None
