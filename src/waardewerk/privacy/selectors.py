"""Reads of the privacy pages that more than one view or test needs (docs/privacy.md)."""

from django.db.models import Count, Q, QuerySet

from waardewerk.privacy.forms import ItemResult
from waardewerk.privacy.models import DestructionItem, DestructionList, RetentionAction

RESULTS = {
    ItemResult.WAITING: Q(erasure__isnull=True, refused=""),
    ItemResult.DONE: Q(erasure__isnull=False),
    ItemResult.REFUSED: Q(erasure__isnull=True) & ~Q(refused=""),
}


def destruction_items(
    destruction_list: DestructionList, *, action="", result=""
) -> QuerySet[DestructionItem]:
    """The files on a list, in the list's order, narrowed to one action and one result when given."""
    items = destruction_list.items.all()
    if action:
        items = items.filter(action=action)
    if result:
        items = items.filter(RESULTS[result])
    return items


def destruction_summary(destruction_list: DestructionList) -> dict:
    """The list's files counted in one query: ``total``, per action (``actions``: ``(value, label, n)`` for
    every action on the list) and per result (``results``: waiting, done, refused)."""
    actions = [(value, label) for value, label in RetentionAction.choices if value != RetentionAction.NONE]
    counted = destruction_list.items.aggregate(
        total=Count("pk"),
        **{f"action_{value}": Count("pk", filter=Q(action=value)) for value, _label in actions},
        **{f"result_{key}": Count("pk", filter=condition) for key, condition in RESULTS.items()},
    )
    return {
        "total": counted["total"],
        "actions": [(v, label, counted[f"action_{v}"]) for v, label in actions if counted[f"action_{v}"]],
        "results": {key: counted[f"result_{key}"] for key in RESULTS},
    }
