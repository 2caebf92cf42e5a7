"""Which version of an intervision method or of the review checkpoints an organisation uses now: its own
where it made one (``content_edit``), else the installation's. Reads only; the services, the editor and the
pages all ask here."""

from django.db.models import Q

from waardewerk.intervision.models import CheckpointSet, IntervisionMethod

ITEM_MODELS = {"method": IntervisionMethod, "checkpoints": CheckpointSet}


def items_in_effect(name: str, organisation_id) -> list:
    """Per key the item the organisation uses (its own where it has one, else the installation's), with
    ``current`` loaded: one query."""
    model = ITEM_MODELS[name]
    found = {}
    rows = (
        model.objects.exclude(current=None)
        .filter(Q(organisation=None) | Q(organisation_id=organisation_id))
        .select_related("current")
        .order_by("key", "organisation_id")
    )
    for item in rows:
        if item.key not in found or item.organisation_id is not None:
            found[item.key] = item
    return [found[key] for key in sorted(found)]


def item_in_effect(name: str, organisation_id, key: str | None = None):
    """The item the organisation uses for ``key`` (the checkpoints: the first set), or None (one query)."""
    model = ITEM_MODELS[name]
    rows = (
        model.objects.exclude(current=None)
        .filter(Q(organisation=None) | Q(organisation_id=organisation_id))
        .select_related("current")
        .order_by("key", "organisation_id")
    )
    if key is not None:
        rows = rows.filter(key=key)
    items = list(rows)
    if items:
        items = [i for i in items if i.key == items[0].key]
    own = [i for i in items if i.organisation_id is not None]
    item = own[0] if own else (items[0] if items else None)
    if item is not None:
        setattr(item.current, item.current.item_field, item)
    return item


def version_in_effect(name: str, organisation_id, key: str | None = None):
    item = item_in_effect(name, organisation_id, key)
    return item.current if item is not None else None
