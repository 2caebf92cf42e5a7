"""Reads of client data. The client's dossier (scoped by dossier access) is read through
``trajectories.selectors.readable_client``."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from waardewerk.clients.models import Client, Consent


def has_consent(client, kind: str, on=None, party=None) -> bool:
    """Whether ``client`` has given consent of ``kind`` (``clients.models.ConsentKind``): in general, or
    with ``party`` (a public id) for that party only. A consent for one party never counts as the general
    one, nor the other way round.

    ``on`` is a moment (an aware datetime; default: now) or a date. For a date the consent must cover the
    whole day: given before the day started and not withdrawn before it ended, so a consent withdrawn
    during that day does not count for it (the safe side for the client). A consent with an end date
    (``valid_until``) no longer counts after that day. One indexed query.
    """

    if on is None:
        on = timezone.now()
    grants = Consent.objects.filter(client=client, kind=kind)
    grants = grants.filter(party__isnull=True) if party is None else grants.filter(party=party)
    if isinstance(on, dt.datetime):
        covered = grants.filter(given_at__lte=on).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=on)
        )
    else:
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(on, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        covered = grants.filter(given_at__lte=start).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end)
        )
    # A consent with an end date ("geldig tot") covers up to and including that day.
    day = timezone.localdate(on) if isinstance(on, dt.datetime) else on
    covered = covered.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    return covered.exists()


def consent_history(client) -> QuerySet:
    """Every grant of the client's consents, newest first, with who recorded it."""

    return (
        Consent.objects.filter(client=client)
        .select_related("given_recorded_by", "withdrawn_recorded_by")
        .order_by("-given_at", "-id")
    )


def access_log_scope(organisation_id) -> Q:
    """The organisation's access-log events about its clients (their public ids as a subquery):
    ``audit.policies.readable_events``, registered in ``ClientsConfig.ready``."""
    return Q(client_uuid__in=Client.objects.filter(organisation_id=organisation_id).values("uuid"))
