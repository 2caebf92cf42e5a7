"""Encryption at rest: encrypted fields, key configuration, key rotation and the data migrations."""

import stat
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import ClientFactory, ConversationFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts import services as account_services
from waardewerk.accounts import totp
from waardewerk.accounts.models import TOTPDevice
from waardewerk.clients.models import Client
from waardewerk.core import crypto
from waardewerk.core.fields import encrypted_fields
from waardewerk.sampledata.demo import create_demo
from waardewerk.trajectories.models import Conversation, Handover, PhaseChange, Trajectory

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()

QUESTION = "Na een burn-out en een hernia wil mevrouw terug naar haar werk; schulden spelen mee."
SUMMARY = "Gesprek over de medicatie en de slaapproblemen; cliënte voelt zich 😊 beter."
HANDOVER_REASON = "Overdracht wegens langdurige ziekte van de jobcoach; cliënte heeft schulden."


def raw(model, field: str, pk) -> str:
    """The value as the database holds it, read with plain SQL (no model field involved)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - names only
        return cursor.fetchone()[0]


@pytest.fixture
def keys(settings):
    """Set the field keys (newest first) for the rest of the test; the cache follows the setting."""

    def use(*new_keys):
        settings.FIELD_ENCRYPTION_KEYS = list(new_keys)
        settings.FIELD_ENCRYPTION_KEYS_FILE = ""
        crypto.reset_keys()

    yield use
    crypto.reset_keys()


def rotate(*args) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def make_case():
    trajectory = TrajectoryFactory(
        question=QUESTION, client__bsn="111222333", end_note="Werkt weer 24 uur, na de operatie."
    )
    conversation = ConversationFactory(trajectory=trajectory, summary=SUMMARY)
    return trajectory, conversation


def make_handover(trajectory) -> Handover:
    return Handover.objects.create(
        trajectory=trajectory,
        from_user=trajectory.responsible,
        to_user=UserFactory(organisation=trajectory.organisation),
        reason=HANDOVER_REASON,
        handed_over_by=trajectory.responsible,
        handed_over_at=timezone.now(),
    )


# -- the stored value ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_column_holds_no_plaintext():
    trajectory, conversation = make_case()
    change = trajectory.phase_changes.get()
    stored = {
        raw(Trajectory, "question", trajectory.pk): QUESTION,
        raw(Trajectory, "end_note", trajectory.pk): "Werkt weer 24 uur, na de operatie.",
        raw(Conversation, "summary", conversation.pk): SUMMARY,
        raw(PhaseChange, "reason", change.pk): "Traject gestart",
        raw(Client, "bsn", trajectory.client.pk): "111222333",
    }
    for value, plaintext in stored.items():
        assert value != plaintext
        assert value.startswith("gAAAAA")  # a Fernet token
        for word in plaintext.split():
            if len(word) > 3:
                assert word not in value
    assert "111222333" not in raw(Client, "bsn", trajectory.client.pk)


@pytest.mark.django_db
def test_the_totp_secret_and_handover_reason_columns_hold_no_plaintext():
    user = UserFactory()
    device = account_services.totp_device_start(user=user)
    secret = TOTPDevice.objects.get(pk=device.pk).secret
    assert len(secret) == 32
    handover = make_handover(TrajectoryFactory())
    for value, plaintext in [
        (raw(TOTPDevice, "secret", device.pk), secret),
        (raw(Handover, "reason", handover.pk), HANDOVER_REASON),
    ]:
        assert value.startswith("gAAAAA")  # a Fernet token
        assert plaintext not in value
        for word in plaintext.split():
            if len(word) > 3:
                assert word not in value
    assert Handover.objects.get(pk=handover.pk).reason == HANDOVER_REASON
    # The app still works with the decrypted secret: the code the authenticator shows is accepted.
    now = timezone.now()
    code = totp.totp(secret, now.timestamp())
    confirmed = account_services.totp_device_confirm(user=user, code=code, now=now)
    assert confirmed.is_confirmed
    assert raw(TOTPDevice, "secret", device.pk).startswith("gAAAAA")
    assert TOTPDevice.objects.get(pk=device.pk).secret == secret


@pytest.mark.django_db
def test_round_trip():
    trajectory, conversation = make_case()
    conversation = Conversation.objects.get(pk=conversation.pk)
    assert conversation.summary == SUMMARY
    trajectory.refresh_from_db()
    assert trajectory.question == QUESTION
    assert Client.objects.values_list("bsn", flat=True).get() == "111222333"
    assert list(Conversation.objects.values_list("summary", flat=True)) == [SUMMARY]
    # Updating through a queryset encrypts too.
    Trajectory.objects.filter(pk=trajectory.pk).update(question="Nieuwe vraag")
    assert raw(Trajectory, "question", trajectory.pk).startswith("gAAAAA")
    assert Trajectory.objects.get(pk=trajectory.pk).question == "Nieuwe vraag"


@pytest.mark.django_db
def test_the_same_text_gives_different_tokens():
    first = ConversationFactory(summary="Zelfde tekst")
    second = ConversationFactory(summary="Zelfde tekst")
    assert raw(Conversation, "summary", first.pk) != raw(Conversation, "summary", second.pk)


@pytest.mark.django_db
def test_empty_values_stay_empty_and_filterable():
    with_bsn = ClientFactory(bsn="111222333")
    without = ClientFactory(bsn="")
    assert raw(Client, "bsn", without.pk) == ""
    assert Client.objects.get(pk=without.pk).bsn == ""
    assert list(Client.objects.exclude(bsn="")) == [with_bsn]
    assert list(Client.objects.filter(bsn="")) == [without]
    assert not Client.objects.filter(bsn__isnull=True).exists()
    trajectory = TrajectoryFactory(end_note="")
    assert raw(Trajectory, "end_note", trajectory.pk) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup", [{"summary__icontains": "medicatie"}, {"summary": SUMMARY}, {"summary__in": [SUMMARY]}]
)
def test_searching_ciphertext_is_refused(lookup):
    with pytest.raises(FieldError, match=r"trajectories\.Conversation\.summary is encrypted"):
        Conversation.objects.filter(**lookup)


def test_max_length_applies_to_the_plaintext():
    field = PhaseChange._meta.get_field("reason")
    assert field.db_type(connection) == connection.data_types["TextField"]
    field.run_validators("x" * 500)
    with pytest.raises(ValidationError):
        field.run_validators("x" * 501)
    assert Client._meta.get_field("bsn").formfield().max_length == 9


def test_every_sensitive_field_is_encrypted():
    assert encrypted_fields(Client) == ["bsn"]
    assert encrypted_fields(Trajectory) == ["question", "end_note"]
    assert encrypted_fields(PhaseChange) == ["reason"]
    assert encrypted_fields(Conversation) == ["summary"]
    assert encrypted_fields(Handover) == ["reason"]
    assert encrypted_fields(TOTPDevice) == ["secret"]


# -- keys ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_key_gives_a_clear_error(keys):
    keys(KEY_A)
    trajectory, _ = make_case()
    keys(KEY_B)
    with pytest.raises(crypto.FieldDecryptionError, match=r"trajectories\.Trajectory\.question"):
        Trajectory.objects.get(pk=trajectory.pk)
    with pytest.raises(crypto.FieldDecryptionError, match=r"trajectories\.Conversation\.summary"):
        list(Conversation.objects.values_list("summary", flat=True))


# Blind indexes are stored (Client.bsn_index): the digest of a value under a key must never change.
INDEX_KEY_NEW = "qJ0cQJ3w2r9lQk6bO3g0fZ8Yd5c1u2v3w4x5y6z7A8E="
INDEX_KEY_OLD = "xP4tZ1kQ9mN2bV7cR5sT8uW3yE6aD0fG1hJ4kL7oP2s="


def test_blind_indexes_are_stable_per_key_newest_first(keys):
    keys(INDEX_KEY_NEW, INDEX_KEY_OLD)
    assert crypto.blind_indexes("123456782") == [
        "58ee46a2284914fb329d2be80c00d0ff00985b062824aadd806339178aa4072c",
        "4e3a661eedec0cf078d66b432e02ceeb2dcd94f28ce24db206dc67f392808e6a",
    ]
    assert crypto.blind_index("123456782") == crypto.blind_indexes("123456782")[0]
    assert crypto.blind_index("") == ""
    keys(INDEX_KEY_OLD)
    assert crypto.blind_indexes("123456782") == [
        "4e3a661eedec0cf078d66b432e02ceeb2dcd94f28ce24db206dc67f392808e6a"
    ]


@pytest.mark.django_db
def test_rotation(keys):
    keys(KEY_A)
    trajectory, conversation = make_case()
    ConversationFactory.create_batch(5, trajectory=trajectory)
    empty_note = TrajectoryFactory(end_note="")
    handover = make_handover(trajectory)
    device = account_services.totp_device_start(user=trajectory.responsible)
    secret = TOTPDevice.objects.get(pk=device.pk).secret
    before = raw(Conversation, "summary", conversation.pk)
    version = Trajectory.objects.get(pk=trajectory.pk).version
    from tests.factories import igm_answers, make_measurement

    measurement = make_measurement(
        trajectory, "igm", igm_answers(), notes='{"self_efficacy": "Twijfelt"}', correction_reason="Typfout"
    )

    keys(KEY_B, KEY_A)
    # New writes use B at once; old values are still readable with A.
    assert Conversation.objects.get(pk=conversation.pk).summary == SUMMARY
    with pytest.raises(CommandError) as not_yet:
        rotate("--check")
    assert not_yet.value.returncode == 1

    output = rotate("--batch-size", "2")
    assert "trajectories.Conversation.summary: 6 value(s) re-encrypted" in output
    assert "trajectories.Handover.reason: 1 value(s) re-encrypted" in output
    assert "accounts.TOTPDevice.secret: 1 value(s) re-encrypted" in output
    # A submitted measurement never changes, but its encrypted notes may be re-encrypted.
    assert "instruments.Measurement.notes: 1 value(s) re-encrypted" in output
    assert "instruments.Measurement.correction_reason: 1 value(s) re-encrypted" in output
    measurement.refresh_from_db()
    assert measurement.notes == '{"self_efficacy": "Twijfelt"}' and measurement.status == "submitted"
    assert raw(Conversation, "summary", conversation.pk) != before
    assert "0 value(s) re-encrypted" in rotate().splitlines()[1]  # a second run has nothing to do

    keys(KEY_B)
    assert "Total: 0 value(s) not under the newest key." in rotate("--check")
    assert Conversation.objects.get(pk=conversation.pk).summary == SUMMARY
    assert all(Conversation.objects.values_list("summary", flat=True))
    rotated = Trajectory.objects.get(pk=trajectory.pk)
    assert rotated.question == QUESTION and rotated.client.bsn == "111222333"
    assert rotated.version == version  # rotation is not an edit
    assert raw(Trajectory, "end_note", empty_note.pk) == ""
    assert [c.reason for c in PhaseChange.objects.all()]
    assert Handover.objects.get(pk=handover.pk).reason == HANDOVER_REASON
    assert TOTPDevice.objects.get(pk=device.pk).secret == secret


@pytest.mark.django_db
def test_rotation_refuses_to_lose_unreadable_values(keys):
    keys(KEY_A)
    conversation = ConversationFactory(summary=SUMMARY)
    keys(KEY_B)
    with pytest.raises(CommandError, match="cannot be read with any configured key"):
        rotate()
    keys(KEY_A)
    assert Conversation.objects.get(pk=conversation.pk).summary == SUMMARY


def test_no_key_refuses_to_start(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEYS_FILE = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="WAARDEWERK_FIELD_KEYS"):
        crypto.get_multifernet()
    crypto.reset_keys()


def test_debug_generates_a_private_key_file_once(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEYS_FILE = ""
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path
    token = crypto.encrypt("geheim")
    key_file = tmp_path / crypto.DEV_KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    crypto.reset_keys()
    assert crypto.decrypt(token) == "geheim"  # the same key is read back, not a new one made
    crypto.reset_keys()


def test_key_file_newest_first(settings, tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text(f"# newest first\n{KEY_B}\n\n{KEY_A}\n")
    key_file.chmod(0o600)
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEYS_FILE = str(key_file)
    old = Fernet(KEY_A.encode()).encrypt(b"oud").decode()
    assert crypto.decrypt(old) == "oud"
    new = crypto.encrypt("nieuw")
    assert Fernet(KEY_B.encode()).decrypt(new.encode()) == b"nieuw"
    assert crypto.is_current(new) and not crypto.is_current(old)
    crypto.reset_keys()


@pytest.mark.parametrize(
    "keys_setting,file_setting,message",
    [
        (["not-a-key"], "", "key 1 is not a valid Fernet key"),
        ([KEY_A, "x"], "", "key 2 is not a valid Fernet key"),
        ([KEY_A], "/nonexistent/keys", "not both"),
        ([], "/nonexistent/keys", "does not exist"),
    ],
)
def test_bad_key_configuration(settings, keys_setting, file_setting, message):
    settings.FIELD_ENCRYPTION_KEYS = keys_setting
    settings.FIELD_ENCRYPTION_KEYS_FILE = file_setting
    with pytest.raises(ImproperlyConfigured, match=message) as exc:
        crypto.get_multifernet()
    assert "not-a-key" not in str(exc.value)  # a key is never echoed
    crypto.reset_keys()


# -- demo and migrations ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_data_is_encrypted():
    create_demo()
    client = Client.objects.exclude(bsn="").first()
    assert len(client.bsn) == 9 and client.bsn not in raw(Client, "bsn", client.pk)
    conversation = Conversation.objects.first()
    assert conversation.summary and raw(Conversation, "summary", conversation.pk).startswith("gAAAAA")


@pytest.mark.django_db(transaction=True)
def test_migrations_encrypt_and_decrypt_existing_rows():
    trajectory, conversation = make_case()
    before = ("clients", "0001_initial"), ("trajectories", "0002_assignments")

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(list(before))
        # Back: the rows hold plaintext again, in the old column types.
        assert raw(Trajectory, "question", trajectory.pk) == QUESTION
        assert raw(Conversation, "summary", conversation.pk) == SUMMARY
        assert raw(Client, "bsn", trajectory.client.pk) == "111222333"
        assert raw(Trajectory, "end_note", trajectory.pk) == "Werkt weer 24 uur, na de operatie."
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
    # Forward: an existing database survives the upgrade, encrypted.
    assert raw(Trajectory, "question", trajectory.pk).startswith("gAAAAA")
    assert raw(Client, "bsn", trajectory.client.pk).startswith("gAAAAA")
    assert Trajectory.objects.get(pk=trajectory.pk).question == QUESTION
    assert Conversation.objects.get(pk=conversation.pk).summary == SUMMARY
    assert Client.objects.get(pk=trajectory.client.pk).bsn == "111222333"


@pytest.mark.django_db(transaction=True)
def test_migrations_encrypt_the_totp_secret_and_handover_reason():
    handover = make_handover(TrajectoryFactory())
    device = account_services.totp_device_start(user=UserFactory())
    secret = TOTPDevice.objects.get(pk=device.pk).secret
    before = ("accounts", "0002_two_factor_and_lockout"), ("trajectories", "0003_encrypt_notes")

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(list(before))
        assert raw(Handover, "reason", handover.pk) == HANDOVER_REASON
        assert raw(TOTPDevice, "secret", device.pk) == secret
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
    assert raw(Handover, "reason", handover.pk).startswith("gAAAAA")
    assert raw(TOTPDevice, "secret", device.pk).startswith("gAAAAA")
    assert Handover.objects.get(pk=handover.pk).reason == HANDOVER_REASON
    assert TOTPDevice.objects.get(pk=device.pk).secret == secret
