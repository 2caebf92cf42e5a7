"""Key files kept outside the database: reading them, and the development key file that debug mode makes
once (field encryption keys in ``core.crypto``, the access log's checkpoint key in ``audit.keys``)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


def is_private(path: Path) -> bool:
    """Whether only the owner can read the file (always true where there are no such permissions)."""
    return os.name != "posix" or not path.stat().st_mode & 0o077


def read_key_file(path: Path, variable: str) -> list[str]:
    """The keys in ``path``, one a line, in order; blank lines and ``#`` comments are skipped."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(f"{variable}: {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{variable}: cannot read {path} ({exc}).") from exc
    if not is_private(path):
        logger.warning("The key file %s is readable by other users; make it mode 0600.", path)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def dev_key_file(name: str, make_key, header: str) -> Path:
    """``$WAARDEWERK_DATA_DIR/<name>``, created once (mode 0600) with a fresh key from ``make_key()`` and
    the comment ``header``. Only for debug mode: callers check ``settings.DEBUG``."""
    path = Path(settings.DATA_DIR) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process was first
            return path
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(header)
            handle.write(make_key() + "\n")
        logger.warning("Generated a development key in %s.", path)
    return path
