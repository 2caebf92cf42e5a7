"""Signals of ``waardewerk demo``: apps above the sample data in the layers (the API) add their part of the
demo through these, so the sample data imports none of them.

``demo_created(organisation, today)`` is sent once the demo organisation is filled, in the same transaction;
``demo_deleting(organisation)`` before its trajectories, users and the organisation are removed.
"""

from django.dispatch import Signal

demo_created = Signal()
demo_deleting = Signal()
