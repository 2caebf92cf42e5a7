"""One Dutch date format per context (``core.formats``): lists "17 aug. 2026", text "17 augustus 2026"."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from waardewerk.core import formats


def test_lists_abbreviate_the_month_in_lower_case_with_a_full_stop():
    with translation.override("nl"):
        assert formats.day(dt.date(2026, 8, 17)) == "17 aug. 2026"
        assert formats.day(dt.date(2026, 3, 3)) == "3 mrt. 2026"
        assert formats.day(dt.date(2026, 5, 1)) == "1 mei 2026"
        assert formats.day(dt.datetime(2026, 9, 2, 14, 30), formats.LIST_TIME) == "2 sep. 2026 14:30"
        assert formats.day(dt.date(2026, 8, 17), formats.TEXT) == "17 augustus 2026"
        assert formats.day(dt.date(2026, 8, 17), "j M") == "17 aug."
        assert formats.day(dt.date(2026, 8, 17), r"\M j M") == "M 17 aug."  # an escaped M stays a letter


def test_english_keeps_djangos_format():
    with translation.override("en"):
        assert formats.day(dt.date(2026, 8, 17)) == "17 Aug 2026"


def test_the_day_filter_is_there_in_every_template():
    template = Template('{{ d|day }} · {{ d|day:"j F Y" }} · {{ none|day }}')
    with translation.override("nl"):
        assert (
            template.render(Context({"d": dt.date(2026, 10, 4), "none": None}))
            == "4 okt. 2026 · 4 oktober 2026 · "
        )
