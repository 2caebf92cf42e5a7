"""What every versioned-content command shares (``instruments``, ``guide``, ``principles``, ``intervision``):
the ``load FILE [--check]`` step and the list of versions. Each kind's command names its checker, its
loader and what it records in the access log; the wording of the output is the same for every kind."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError

from waardewerk.core.content import ContentError
from waardewerk.core.content_versions import LoadResult

LOADED_BY = "command line"


def load_file(
    command,
    name: str,
    *,
    check_only: bool,
    parse: Callable,
    load: Callable[..., LoadResult],
    on_created: Callable | None = None,
) -> LoadResult | None:
    """Read ``name`` and check it (``check_only``: store nothing) or load it as a new version, printing what
    happened on the command's output. ``on_created(version)`` runs for a version that is new (the access
    log). A file that cannot be read or has problems raises ``CommandError`` after every problem is
    printed; nothing is stored then. Returns the load's result (None when only checked)."""
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{name}: cannot read the file ({error})") from None
    try:
        if check_only:
            definition = parse(text, str(path))
            command.stdout.write(f"{name}: {definition['key']} version {definition['version']} is valid")
            return None
        result = load(text, filename=str(path), loaded_by=LOADED_BY)
    except ContentError as error:
        command.stderr.write(f"{name}: not loaded, {len(error.problems)} problem(s):")
        for problem in error.problems:
            command.stderr.write(f"  - {problem}")
        raise CommandError(f"{name}: not loaded.") from None
    stored = result.version
    item = getattr(stored, stored.item_field)
    if not result.created:
        command.stdout.write(f"{name}: version {stored.version} of {item.key} was already loaded")
        return result
    if on_created is not None:
        on_created(stored)
    current = item.current_id == stored.pk
    command.stdout.write(
        command.style.SUCCESS(
            f"{name}: loaded version {stored.version} of {item.key}"
            + ("" if current else " (a higher version stays current)")
        )
    )
    return result


def write_versions(command, versions, current_pk) -> None:
    """One line per version: number (and whether it is current), when, who, and the note or file."""
    for v in versions:
        who = str(v.created_by or "–") if v.is_edit else f"loaded by {v.loaded_by}"
        note = v.note or (f"file {v.source_file}" if v.source_file else "")
        current = " (current)" if v.pk == current_pk else ""
        command.stdout.write(f"{v.version}{current}\t{v.loaded_at:%Y-%m-%d %H:%M}\t{who}\t{note}")
