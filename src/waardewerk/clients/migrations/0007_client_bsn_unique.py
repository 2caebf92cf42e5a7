"""One client per BSN in an organisation, in the database: a unique constraint on the organisation and the
BSN's blind index, for the clients that have a BSN (docs/search.md, "The duplicate rule").

The duplicate rule (``clients.duplicates``) refuses a second client with a BSN before saving; two
registrations at the same moment could both pass that check. The constraint closes that gap.

Existing duplicates are not merged or changed here: which of two clients with one BSN is the right one (and
whose trajectories, measurements and log belong where) is a decision for people, not for a migration. When
the organisation already holds clients that share a BSN, this migration stops before it changes anything and
names them (their public ids, never the BSN), so that a functional administrator can correct the BSN of the
wrong one (or merge the files by hand) and run ``migrate`` again. Generated and demo data never hold such
duplicates (the generator draws distinct BSNs)."""

from django.db import migrations, models
from django.db.models import Count, Q

CONSTRAINT = "client_org_bsn_unique"
# At most this many duplicate groups are named in the message.
SHOWN = 20


class DuplicateBSNs(Exception):
    pass


def duplicate_groups(Client, alias) -> list[list[str]]:
    """The public ids of the clients that share an organisation and a BSN's blind index, per group."""
    pairs = (
        Client.objects.using(alias)
        .exclude(bsn_index="")
        .values("organisation_id", "bsn_index")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("organisation_id", "bsn_index")
    )
    groups = []
    for pair in pairs:
        uuids = (
            Client.objects.using(alias)
            .filter(organisation_id=pair["organisation_id"], bsn_index=pair["bsn_index"])
            .order_by("pk")
            .values_list("uuid", flat=True)
        )
        groups.append([str(uuid) for uuid in uuids])
    return groups


def refuse_duplicates(apps, schema_editor):
    """Stop, with the clients named, when clients of one organisation share a BSN (see the module)."""
    Client = apps.get_model("clients", "Client")
    groups = duplicate_groups(Client, schema_editor.connection.alias)
    if not groups:
        return
    lines = [f"  - clients {', '.join(group)}" for group in groups[:SHOWN]]
    if len(groups) > SHOWN:
        lines.append(f"  - and {len(groups) - SHOWN} more group(s)")
    raise DuplicateBSNs(
        f"{len(groups)} group(s) of clients in one organisation share a BSN, so the database cannot "
        "refuse a second client with the same BSN yet (migration clients.0007). Nothing was changed. "
        "Open each client at /clients/<id>/, correct the BSN of the wrong one (or move its file to the "
        "right client by hand), then run `waardewerk migrate` again:\n" + "\n".join(lines)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_consent_valid_until"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                fields=("organisation", "bsn_index"),
                condition=~Q(bsn_index=""),
                name=CONSTRAINT,
            ),
        ),
    ]
