"""``waardewerk rotate_keys``: re-encrypt every encrypted field with the newest field key.

The procedure (docs/security.md, "Encryption at rest"): put the new key in front of the old one, restart
the app, run ``waardewerk rotate_keys``, check with ``waardewerk rotate_keys --check`` (exit code 0), then
remove the old key and restart again.
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ExpressionWrapper, F, TextField

from waardewerk.core import crypto
from waardewerk.core.fields import BlindIndexField, encrypted_fields, rewrite_raw_values


def _targets():
    for model in apps.get_models():
        names = encrypted_fields(model)
        if names:
            yield model, names


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key of WAARDEWERK_FIELD_KEYS(_FILE), in batches. "
        "With --check, only count the values not yet under the newest key (exit code 1 if any)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; report how many values are not under the newest key and exit 1 if any.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (500).")
        parser.add_argument("--database", default="default", help="Database alias (default).")

    def handle(self, *args, check=False, batch_size=500, database="default", **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        crypto.reset_keys()  # read the keys as configured now
        keys = len(crypto.load_keys())
        self.stdout.write(f"{keys} field key(s) configured; the newest is used for writing.")
        if check:
            self.check_only(database)
        else:
            self.rotate(database, batch_size)

    def check_only(self, database):
        outdated = unreadable = 0
        for model, names in _targets():
            counts = dict.fromkeys(names, 0)
            bad = dict.fromkeys(names, 0)
            for values in self._raw(model, names, database):
                for name, value in zip(names, values, strict=True):
                    if not value or crypto.is_current(value):
                        continue
                    counts[name] += 1
                    try:
                        crypto.decrypt(value)
                    except crypto.InvalidToken:
                        bad[name] += 1
            for name in names:
                self.stdout.write(
                    f"{model._meta.label}.{name}: {counts[name]} not under the newest key"
                    + (f" ({bad[name]} readable with no configured key)" if bad[name] else "")
                )
                outdated += counts[name]
                unreadable += bad[name]
        self.stdout.write(f"Total: {outdated} value(s) not under the newest key.")
        if unreadable:
            self.stderr.write(
                f"{unreadable} value(s) cannot be read with any configured key: "
                "put the key they were written with back before removing anything else."
            )
        if outdated:
            raise CommandError(
                f"{outdated} value(s) are not under the newest key yet: run `waardewerk rotate_keys` "
                "before removing an old key.",
                returncode=1,
            )

    @staticmethod
    def _raw(model, names, database):
        raw = [ExpressionWrapper(F(name), output_field=TextField()) for name in names]
        return model._base_manager.using(database).order_by("pk").values_list(*raw).iterator(chunk_size=2000)

    def rotate(self, database, batch_size):
        total = unreadable = 0
        started = time.monotonic()
        for model, names in _targets():
            rotated = dict.fromkeys(names, 0)
            bad = dict.fromkeys(names, 0)

            def transform(name, value, rotated=rotated, bad=bad):
                if crypto.is_current(value):
                    return None
                try:
                    new = crypto.rotate(value)
                except crypto.InvalidToken:
                    bad[name] += 1  # left as it is; reported below
                    return None
                rotated[name] += 1
                return new

            model_started = time.monotonic()
            total += rewrite_raw_values(model, names, transform, using=database, batch_size=batch_size)
            elapsed = time.monotonic() - model_started
            for name in names:
                line = f"{model._meta.label}.{name}: {rotated[name]} value(s) re-encrypted"
                if bad[name]:
                    line += f", {bad[name]} readable with no configured key (left as they are)"
                self.stdout.write(line)
                unreadable += bad[name]
            self.stdout.write(f"  ({model._meta.label}: {elapsed:.2f} s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {total} value(s) with the newest key in {time.monotonic() - started:.2f} s."
            )
        )
        self.reindex(database, batch_size)
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) cannot be read with any configured key. Add the key they were "
                "written with (after the newest) and run rotate_keys again; remove no key until "
                "`rotate_keys --check` reports 0."
            )

    def reindex(self, database, batch_size):
        """Recompute blind indexes (e.g. ``Client.bsn_index``) with the newest key, so lookups keep working
        once the old key is removed."""

        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
            for field in fields:
                changed = 0
                manager = model._base_manager.using(database)
                rows = (
                    manager.exclude(**{field.source: ""})
                    .order_by("pk")
                    .only("pk", field.source, field.attname)
                )
                batch = []
                for obj in rows.iterator(chunk_size=batch_size):
                    digest = field.digest(getattr(obj, field.source) or "")
                    if digest != getattr(obj, field.attname):
                        setattr(obj, field.attname, digest)
                        batch.append(obj)
                    if len(batch) >= batch_size:
                        with transaction.atomic(using=database):
                            manager.bulk_update(batch, [field.attname])
                        changed += len(batch)
                        batch = []
                if batch:
                    with transaction.atomic(using=database):
                        manager.bulk_update(batch, [field.attname])
                    changed += len(batch)
                self.stdout.write(f"{model._meta.label}.{field.name}: {changed} index value(s) recomputed")
