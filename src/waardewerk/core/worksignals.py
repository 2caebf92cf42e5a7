"""The registry of work signals: what needs a professional now, shown on the start page ("Vandaag").

Each app that holds data a signal comes from registers its sources here, from its ``AppConfig.ready``
(``<app>/worksignals.py``): the start page (``workday``) asks every registered source and imports none of
them, and no app imports the start page. A source costs one query for a professional's items and one for a
team's counts, whatever the caseload's size (docs/workday.md).

- ``items(actor, today, scope=None)``: the actor's own signals, one ``Signal`` per thing to act on, from
  one query filtered by the actor's policy (so it is scoped already). The start page passes one ``Scope``
  to every source: the policy's scope (e.g. the ids of the open trajectories the actor works on, as one SQL
  subquery: ``trajectories.policies.changeable_trajectory_ids``) is built once per request and shared, not
  rebuilt by each source (``shared``).
- ``trajectories(queryset, today)``: the trajectories of ``queryset`` that have this signal, for a team
  lead's counts per team (no names); ``None`` for a signal that is not about trajectories.

A signal's ``key`` names the occurrence (the object and what makes it new, e.g. an action and its due
date): a professional who marks it handled no longer sees it, until a new occurrence has another key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from django.urls import reverse


@dataclass(frozen=True)
class Signal:
    kind: str
    key: str
    title: str  # who or what it is about: a client's name, an intervision group
    reason: str  # why it is shown, in the reader's language
    url: str  # where it is handled
    link_text: str
    day: dt.date | None = None  # the date it is about (due, returned, last contact); sorts the list
    client: UUID | None = None  # the client whose data it shows: the read is logged
    overdue: bool = False


@dataclass(frozen=True)
class SignalSource:
    kind: str
    label: Callable[[], str] | str  # a heading, translated when shown
    order: int
    items: Callable[..., list[Signal]]
    trajectories: Callable[..., object] | None = None
    help_text: str = field(default="")


class Scope:
    """The actor's scope for one start page, shared by all its sources: each policy's scope (a queryset or
    an SQL subquery of ids) is built the first time a source asks for it and handed to the others as it is
    (nothing is evaluated by this: each source filters by it in its own query, as a subquery)."""

    def __init__(self, actor):
        self.actor = actor
        self._built: dict[Callable, object] = {}

    def of(self, policy: Callable):
        """``policy(actor)``, built once for this scope."""
        if policy not in self._built:
            self._built[policy] = policy(self.actor)
        return self._built[policy]


def shared(scope: Scope | None, actor, policy: Callable):
    """``policy(actor)``: from ``scope`` when a start page passes one, else built now."""
    return scope.of(policy) if scope is not None else policy(actor)


_SOURCES: dict[str, SignalSource] = {}


def register(source: SignalSource) -> None:
    """Register a source (again: the later one replaces it, so a reloaded module does no harm)."""
    _SOURCES[source.kind] = source


def sources() -> list[SignalSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.kind))


def source(kind: str) -> SignalSource | None:
    return _SOURCES.get(kind)


def occurrence(*parts) -> str:
    """A signal's key from its parts (an object's public id, a date): at most 100 characters."""
    return ":".join(str(part) for part in parts)[:100]


def week_end(today: dt.date) -> dt.date:
    """The Sunday of ``today``'s week: "due this week" runs until then."""
    return today + dt.timedelta(days=6 - today.weekday())


def url_pattern(name: str, count: int = 1):
    """``reverse(name, args=[...])`` for many rows: reversed once, then filled in (``count`` public ids)."""
    placeholders = [f"00000000-0000-0000-0000-00000000000{i}" for i in range(count)]
    pattern = reverse(name, args=placeholders)

    def fill(*ids) -> str:
        url = pattern
        for placeholder, value in zip(placeholders, ids, strict=True):
            url = url.replace(placeholder, str(value))
        return url

    return fill


def client_name(first_name: str, infix: str, last_name: str) -> str:
    """A client's name as lists show it: "Bakker, Jan de" (as ``Client.sort_name``)."""
    given = " ".join(part for part in (first_name, infix) if part)
    return f"{last_name}, {given}" if given else last_name
