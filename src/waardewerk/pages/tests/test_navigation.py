"""The navigation asks its entries' policies once per kind of user (``accounts.policies.actor_kind``) and
keeps their answers: that is only right while those policies read nothing of the user but what the kind
holds. These tests fail when one of them starts to, and check the kept answers against asking anew."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from waardewerk.accounts.models import Role
from waardewerk.accounts.policies import actor_kind
from waardewerk.pages import navigation

KIND = {"is_authenticated", "is_active", "organisation_id", "role"}


class _Recording:
    """An actor that notes every attribute a policy reads of it."""

    def __init__(self, reads, **attributes):
        object.__setattr__(self, "_reads", reads)
        for name, value in attributes.items():
            object.__setattr__(self, name, value)

    def __getattribute__(self, name):
        if name != "_reads" and not name.startswith("__"):
            object.__getattribute__(self, "_reads").add(name)
        return object.__getattribute__(self, name)


def _actors(reads):
    """Actors of every kind, each kind twice with other values (ids, names) beside the kind."""
    roles = [*Role.values, None, "someone_else"]
    for authenticated, active, organisation, role in itertools.product(
        (True, False), (True, False), (True, False), roles
    ):
        pair = []
        for number in (1, 2):
            pair.append(
                _Recording(
                    reads,
                    is_authenticated=authenticated,
                    is_active=active,
                    organisation_id=(10 + number) if organisation else None,
                    role=role,
                    pk=number,
                    id=number,
                    username=f"user{number}",
                    is_staff=number == 1,
                    is_superuser=number == 2,
                )
            )
        yield pair


def test_the_entries_policies_read_only_the_kind_of_user():
    reads = set()
    for pair in _actors(reads):
        for actor in pair:
            for allowed, *_rest in navigation.ENTRIES:
                allowed(actor)
    assert reads <= KIND, f"a navigation policy reads {sorted(reads - KIND)} of the user: see actor_kind"


def test_actors_of_one_kind_get_the_same_answers():
    for first, second in _actors(set()):
        assert actor_kind(first) == actor_kind(second)
        assert [allowed(first) for allowed, *_ in navigation.ENTRIES] == [
            allowed(second) for allowed, *_ in navigation.ENTRIES
        ]


def test_the_kept_answers_are_the_policies_answers():
    navigation._ALLOWED.clear()
    for pair in _actors(set()):
        for actor in pair:
            asked = tuple(index for index, (allowed, *_) in enumerate(navigation.ENTRIES) if allowed(actor))
            assert navigation._allowed(actor) == asked
            assert navigation._allowed(actor) == asked  # kept


@pytest.mark.django_db
@pytest.mark.parametrize("kept", [False, True])
def test_the_navigation_of_real_users(organisation, professional, team_lead, functional_admin, kept):
    editor = UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)
    inactive = UserFactory(organisation=organisation, role=Role.PROFESSIONAL, is_active=False)
    no_organisation = UserFactory(organisation=None, role=Role.PROFESSIONAL)
    if not kept:
        navigation._ALLOWED.clear()
    users = (professional, team_lead, functional_admin, editor, inactive, no_organisation, AnonymousUser())
    for user in users:
        names = [name for allowed, _label, name, _prefixes in navigation.ENTRIES if allowed(user)]
        urls = [navigation._url(name) for name in names]
        assert [item.url for item in navigation.navigation_for(user, "/")] == urls
