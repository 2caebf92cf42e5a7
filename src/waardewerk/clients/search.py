"""What a user types in the search box, and the clients it finds (docs/search.md).

One text field finds clients by name, BSN or date of birth:

- nine digits (spaces, dots and dashes allowed; eight: a BSN without its leading zero) are a BSN, checked
  with the elfproef and found exactly through its blind index;
- ``dd-mm-jjjj`` or ``d-m-jjjj`` (also with ``/`` or ``.``) is a date of birth;
- anything else is (part of) a name: every word folded (``core.text.fold``: "Öztürk" is "ozturk") must be
  in the client's folded name (``Client.search_name``), in any order, so "de vries", "vries" and "jan vr"
  all find Jan de Vries. PostgreSQL answers these ``LIKE '%...%'`` conditions from a trigram index.

``parse_client_query`` says what the text is (or what is wrong with it); ``filter_clients`` narrows a
queryset that is already scoped to what the user may see. The duplicate rule (``clients.duplicates``) and
the access log's client filter use the same folding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waardewerk.clients.validators import bsn_is_valid
from waardewerk.core import crypto
from waardewerk.core.text import fold_words

MAX_LENGTH = 100
MAX_WORDS = 6
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_NUMBER_MARKS = re.compile(r"[\s.\-]")

NAME, BSN, DATE_OF_BIRTH = "name", "bsn", "date_of_birth"


@dataclass(frozen=True)
class ClientQuery:
    kind: str = ""  # NAME, BSN, DATE_OF_BIRTH; empty: nothing to search (see ``error``)
    words: tuple[str, ...] = ()
    bsn: str = ""
    date_of_birth: dt.date | None = None
    error: str = ""

    def __bool__(self) -> bool:
        return bool(self.kind)


def parse_client_query(text: str) -> ClientQuery:
    """What ``text`` asks for; an empty ``ClientQuery`` with ``error`` when it cannot be searched."""
    text = (text or "").strip()
    if not text:
        return ClientQuery()
    if len(text) > MAX_LENGTH:
        return ClientQuery(error=_("Type at most %(max)d characters.") % {"max": MAX_LENGTH})
    if match := _DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            born = dt.date(year, month, day)
        except ValueError:
            return ClientQuery(
                error=_("%(text)s is not an existing date. Type it as dd-mm-jjjj.") % {"text": text}
            )
        return ClientQuery(kind=DATE_OF_BIRTH, date_of_birth=born)
    digits = _NUMBER_MARKS.sub("", text)
    if digits.isdigit():
        if len(digits) not in (8, 9):
            return ClientQuery(
                error=_("A BSN has 9 digits. To search by date of birth, type it as dd-mm-jjjj.")
            )
        if not bsn_is_valid(digits):
            return ClientQuery(
                error=_("This is not a valid BSN: the check digit is wrong (elfproef). Check the number.")
            )
        return ClientQuery(kind=BSN, bsn=digits.zfill(9))
    words = tuple(fold_words(text)[:MAX_WORDS])
    if sum(len(word) for word in words) < 2:
        return ClientQuery(error=_("Type at least two letters of a name."))
    return ClientQuery(kind=NAME, words=words)


def filter_clients(clients: QuerySet, query: ClientQuery) -> QuerySet:
    """``clients`` narrowed to those ``query`` finds (none for an empty query)."""
    if query.kind == BSN:
        return clients.filter(bsn_index__in=crypto.blind_indexes(query.bsn))
    if query.kind == DATE_OF_BIRTH:
        return clients.filter(date_of_birth=query.date_of_birth)
    if query.kind == NAME:
        for word in query.words:
            clients = clients.filter(search_name__contains=word)
        return clients
    return clients.none()
