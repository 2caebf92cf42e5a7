"""Signals the apps above listen to, so this layer does not import them.

``plan_saved`` is sent inside the transaction that stores a plan version, with ``version`` (the
``PlanVersion``) and ``content`` (its ``plan.PlanContent``): the knowledge app records which choices picked
an entry of the knowledge base (``knowledge.models.PlanChoiceEntry``).

``trajectory_started`` is sent inside the transaction that creates a trajectory, with ``trajectory``: the
instruments app sets the due date of its first measurements (``Trajectory.measurement_due_on``).
"""

from django.dispatch import Signal

plan_saved = Signal()
trajectory_started = Signal()
