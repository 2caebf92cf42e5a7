"""A page of a queryset and its total in one query.

Django's ``Paginator`` asks the database twice: ``COUNT(*)`` for the number of pages, then the rows. Here
the rows carry the total as a window function (``COUNT(*) OVER ()``, computed before ``LIMIT``), so a list
page costs one query. The page behaves as ``Paginator.get_page`` does (a page number that is not a number
gives the first page, one past the end the last page); only the rare page past the end asks again.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "_page_total"


def page_with_total(queryset: QuerySet, per_page: int, number) -> Page:
    """The page ``number`` (as the request gives it) of ``queryset``; its total: ``page.paginator.count``."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    counted = queryset.annotate(**{TOTAL: Window(Count("pk"))})
    rows = list(counted[(number - 1) * per_page : number * per_page])
    if not rows and number > 1:  # past the end: the last page, as Paginator.get_page gives
        total = queryset.count()
        number = max((total + per_page - 1) // per_page, 1)
        rows = list(counted[(number - 1) * per_page : number * per_page])
    total = getattr(rows[0], TOTAL) if rows else 0
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = total  # Paginator.count is a cached property: no COUNT query
    return Page(rows, number, paginator)
