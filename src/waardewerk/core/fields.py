"""Model fields encrypted at rest with the field keys of :mod:`waardewerk.core.crypto`.

The column holds a Fernet token (TEXT); the model attribute holds the plaintext. An empty string is stored
as an empty string, so "blank or not" stays visible and filterable (``exclude(bsn="")``). Because every
token is different, even for the same text, the database cannot compare, search or sort the plaintext:
only ``isnull`` and ``exact`` against ``""`` are allowed, any other lookup raises ``FieldError``. (Ordering
by an encrypted field cannot be refused here; it sorts by ciphertext, which is meaningless: do not.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.core import validators
from django.core.exceptions import FieldError, ValidationError
from django.db import migrations, models, transaction
from django.db.models import ExpressionWrapper, F
from django.db.models.lookups import Exact

from waardewerk.core import crypto
from waardewerk.core.limits import too_long_message
from waardewerk.core.text import fold

ALLOWED_LOOKUPS = frozenset({"exact", "isnull"})


class RawValue(str):
    """A value written to an encrypted column exactly as given, without encrypting it.

    Only for code that handles tokens itself: key rotation and the data migrations.
    """


class EncryptedExact(Exact):
    """``field=""`` finds blank values; any other comparison cannot work on ciphertext."""

    def get_prep_lookup(self):
        if not (isinstance(self.rhs, str) and self.rhs == ""):
            field = self.lhs.output_field
            raise FieldError(
                f"{_label(field)} is encrypted: it can only be compared with an empty string "
                "(field='' or field__isnull), not with a value or another column."
            )
        return super().get_prep_lookup()


def _label(field) -> str:
    model = getattr(field, "model", None)
    if model is None:
        return f"The field {field.name!r}"
    return f"{model._meta.label}.{field.name}"


class EncryptedTextField(models.TextField):
    """A TextField whose value is encrypted in the database (see the module docstring).

    ``max_length`` applies to the plaintext: a validator, the form field's limit, and a last check when the
    value is written (a ``ValidationError`` naming the field), because the database cannot check the length
    of ciphertext. Every encrypted field has one (tests/test_input_limits.py).
    """

    description = "Text, encrypted at rest"

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        if max_length is not None:
            self.validators.append(validators.MaxLengthValidator(max_length))

    def get_prep_value(self, value):
        if isinstance(value, RawValue):
            return str(value)
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError({self.name: too_long_message(self.max_length, len(value))})
        return crypto.encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return crypto.decrypt(value)
        except crypto.InvalidToken:
            raise crypto.FieldDecryptionError(
                f"Cannot decrypt {_label(self)}: the stored value was not encrypted with any of the "
                "configured field keys (WAARDEWERK_FIELD_KEYS / WAARDEWERK_FIELD_KEYS_FILE), or is not "
                "encrypted at all. Was a key removed before `waardewerk rotate_keys --check` reported 0?"
            ) from None

    def decrypt_raw(self, value: str | None) -> str | None:
        """The plaintext of a stored value read as it is (``raw_value``): for a page that reads many rows
        and shows the texts of a few, so it decrypts only those."""
        return self.from_db_value(value, None, None)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name in ALLOWED_LOOKUPS:
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{_label(self)} is encrypted: the database cannot search it, so the lookup "
            f"{lookup_name!r} is not supported (only isnull and ='' are)."
        )

    def get_transform(self, lookup_name):
        return None


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value: ``max_length`` applies to the plaintext (a validator and the form field);
    the column is TEXT because the token is longer than the text."""

    description = "String, encrypted at rest"

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def formfield(self, **kwargs):
        # Skip TextField.formfield, which would choose a Textarea.
        return models.Field.formfield(
            self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        )


def encrypted_fields(model) -> list[str]:
    """The names of the encrypted concrete fields of ``model``."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def raw_value(name: str) -> ExpressionWrapper:
    """The stored value (the token) of the encrypted field ``name``, not decrypted: for ``annotate`` or
    ``values_list``; ``EncryptedTextField.decrypt_raw`` reads it when it is needed."""
    return ExpressionWrapper(F(name), output_field=models.TextField())


def rewrite_raw_values(
    model,
    field_names: Iterable[str],
    transform: Callable[[str, str], str | None],
    *,
    using: str = "default",
    batch_size: int = 500,
) -> int:
    """Rewrite the stored (raw) values of encrypted fields, in batches of locked rows.

    ``transform(field_name, raw)`` is called for every non-empty stored value and returns the new raw value,
    or ``None`` to keep it. Rows with a change are written with ``bulk_update`` (no ``save()``: timestamps
    and versions stay as they are). Returns the number of values changed. Used by ``rotate_keys`` and the
    data migrations that encrypt or decrypt existing rows.
    """
    names = list(field_names)
    if not names:
        return 0
    raw = [raw_value(name) for name in names]
    manager = model._base_manager.db_manager(using)
    changed = 0
    last_pk = None
    while True:
        with transaction.atomic(using=using):
            rows = manager.select_for_update().order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.values_list("pk", *raw)[:batch_size])
            if not batch:
                return changed
            updated = []
            for pk, *values in batch:
                new_values = []
                for name, value in zip(names, values, strict=True):
                    new = transform(name, value) if value else None
                    if new is not None:
                        changed += 1
                    new_values.append(new if new is not None else value)
                if new_values != values:
                    obj = model(pk=pk)
                    for name, value in zip(names, new_values, strict=True):
                        setattr(obj, name, value if value is None else RawValue(value))
                    updated.append(obj)
            if updated:
                model._base_manager.db_manager(using).bulk_update(updated, names, batch_size=batch_size)
            last_pk = batch[-1][0]


def encrypt_existing_values(app_label: str, fields: dict[str, list[str]]):
    """A ``RunPython`` operation that encrypts the plaintext already in newly encrypted columns.

    ``fields`` maps model names to field names. Forwards, every stored value that is not yet a token of a
    configured key is encrypted (so a half-finished run can simply be repeated); backwards, every value is
    decrypted again, before the column goes back to its plain type.
    """

    def _run(apps, schema_editor, transform):
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            rewrite_raw_values(
                model, names, transform(model), using=schema_editor.connection.alias, batch_size=1000
            )

    def _encrypt(model):
        def transform(name, value):
            try:
                crypto.decrypt(value)
            except crypto.InvalidToken:
                return crypto.encrypt(value)
            return None  # already encrypted

        return transform

    def _decrypt(model):
        def transform(name, value):
            try:
                return crypto.decrypt(value)
            except crypto.InvalidToken:
                raise crypto.FieldDecryptionError(
                    f"Cannot decrypt {model._meta.label}.{name}: no configured field key reads the stored "
                    "value, so it cannot be turned back into plaintext."
                ) from None

        return transform

    def forwards(apps, schema_editor):
        _run(apps, schema_editor, _encrypt)

    def backwards(apps, schema_editor):
        _run(apps, schema_editor, _decrypt)

    return migrations.RunPython(forwards, backwards, elidable=False)


class BlindIndexField(models.CharField):
    """The blind index of another (encrypted) field of the same model: an HMAC digest under the newest field
    key, kept up to date on every ``save()`` and ``bulk_create`` (``pre_save``). A queryset ``update()``
    of the source must set this field too (``crypto.blind_index``). Look rows up with
    ``field__in=crypto.blind_indexes(value)``, which also finds digests made with an older key."""

    def __init__(self, *args, source: str, normalise: Callable[[str], str] | None = None, **kwargs):
        self.source = source
        self.normalise = normalise
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def digest(self, value: str) -> str:
        value = self.normalise(value) if (self.normalise and value) else (value or "")
        return crypto.blind_index(value) if value else ""

    def pre_save(self, model_instance, add):
        value = self.digest(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


class FoldedTextField(models.CharField):
    """Some text fields of the same model joined and folded for searching (``core.text.fold``), kept up to
    date on every ``save()`` and ``bulk_create`` (``pre_save``). A queryset ``update()`` of a source must set
    this field too (``digest(...)``), and so must code that inserts rows by itself."""

    def __init__(self, *args, sources: Iterable[str], **kwargs):
        self.sources = tuple(sources)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = list(self.sources)
        return name, path, args, kwargs

    def digest(self, *values: str) -> str:
        return fold(" ".join(value for value in values if value))[: self.max_length]

    def digest_of(self, instance_or_row) -> str:
        """The folded value for a model instance or a dict of its fields."""
        get = instance_or_row.get if isinstance(instance_or_row, dict) else instance_or_row.__dict__.get
        return self.digest(*(get(source) or "" for source in self.sources))

    def pre_save(self, model_instance, add):
        value = self.digest_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value
