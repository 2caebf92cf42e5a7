"""Who may see and do what in a professional's development log. See docs/development.md.

- A professional or team lead keeps their own log: activities, evidence, reflections, learning goals.
  Everything is private by default.
- The owner shares an activity or a goal, one at a time, with their mentor (``shared_with_mentor``: seen by
  whoever is their mentor in an open mentor relation) and/or their team lead (``shared_with_lead``: seen by
  the team leads of the teams the owner is in). Nobody else sees anything: not a colleague, not a team lead
  of another team, not the functional administrator, not another organisation (the same 404 as for an item
  that does not exist). Who may see a shared item may not change it (403).
- A mentor relation (mentor and mentee of one organisation) is seen by both; both write its shared notes
  and meetings while it is open; either ends it.
- A link to a trajectory evaluation or an intervision experiment is shown in full to the owner only, and
  only while the owner may still see it (``trajectories.policies`` / ``intervision.policies``).
"""

from django.db.models import Q, QuerySet

from waardewerk.accounts.models import User
from waardewerk.accounts.policies import CASE_ROLES, is_case_worker, led_teams
from waardewerk.development.models import Activity, LearningGoal, Mentorship


def may_keep_log(actor) -> bool:
    """Professionals and team leads keep a development log (the functional administrator does not)."""
    return is_case_worker(actor)


def may_use_development(actor) -> bool:
    """Shown in the navigation."""
    return may_keep_log(actor)


def _mentees(actor) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(
        organisation_id=actor.organisation_id, mentor=actor, ended_on=None
    ).values("mentee_id")


def _led_members(actor) -> QuerySet[User]:
    return (
        User.objects.filter(organisation_id=actor.organisation_id, teams__in=led_teams(actor))
        .exclude(pk=actor.pk)
        .values("pk")
    )


def _shared(actor) -> Q:
    """Items of others that are shared with the actor: as mentor, or as their team lead."""
    return Q(shared_with_mentor=True, owner__in=_mentees(actor)) | Q(
        shared_with_lead=True, owner__in=_led_members(actor)
    )


def own_activities(actor) -> QuerySet[Activity]:
    if not may_keep_log(actor):
        return Activity.objects.none()
    return Activity.objects.filter(owner=actor)


def visible_activities(actor) -> QuerySet[Activity]:
    """The actor's own activities, and what others shared with them (never a dismissed one)."""
    if not may_keep_log(actor):
        return Activity.objects.none()
    others = Activity.objects.filter(_shared(actor), owner__organisation_id=actor.organisation_id)
    return Activity.objects.filter(Q(owner=actor) | Q(pk__in=others.filter(dismissed=False).values("pk")))


def shared_activities(actor) -> QuerySet[Activity]:
    if not may_keep_log(actor):
        return Activity.objects.none()
    return Activity.objects.filter(
        _shared(actor), owner__organisation_id=actor.organisation_id, dismissed=False
    )


def can_edit_activity(actor, activity: Activity) -> bool:
    return may_keep_log(actor) and activity.owner_id == actor.pk


def own_goals(actor) -> QuerySet[LearningGoal]:
    if not may_keep_log(actor):
        return LearningGoal.objects.none()
    return LearningGoal.objects.filter(owner=actor)


def shared_goals(actor) -> QuerySet[LearningGoal]:
    if not may_keep_log(actor):
        return LearningGoal.objects.none()
    return LearningGoal.objects.filter(_shared(actor), owner__organisation_id=actor.organisation_id)


def visible_goals(actor) -> QuerySet[LearningGoal]:
    if not may_keep_log(actor):
        return LearningGoal.objects.none()
    return LearningGoal.objects.filter(Q(owner=actor) | Q(pk__in=shared_goals(actor).values("pk")))


def can_edit_goal(actor, goal: LearningGoal) -> bool:
    return may_keep_log(actor) and goal.owner_id == actor.pk


def is_owner(actor, item) -> bool:
    return item.owner_id == getattr(actor, "pk", None)


def eligible_mentors(actor) -> QuerySet[User]:
    """Who may be the actor's mentor: the other professionals and team leads of the organisation."""
    if not may_keep_log(actor):
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=actor.organisation_id, is_active=True)
        .filter(role__in=CASE_ROLES)
        .exclude(pk=actor.pk)
        .order_by("last_name", "first_name", "username")
    )


def can_start_mentorship(actor) -> bool:
    """A newcomer asks a colleague to be their mentor (the mentee starts the relation)."""
    return may_keep_log(actor)


def visible_mentorships(actor) -> QuerySet[Mentorship]:
    if not may_keep_log(actor):
        return Mentorship.objects.none()
    return Mentorship.objects.filter(organisation_id=actor.organisation_id).filter(
        Q(mentor=actor) | Q(mentee=actor)
    )


def can_write_mentorship(actor, mentorship: Mentorship) -> bool:
    return (
        may_keep_log(actor)
        and mentorship.ended_on is None
        and actor.pk in (mentorship.mentor_id, mentorship.mentee_id)
    )


def may_see_source_details(actor, goal: LearningGoal) -> bool:
    """The text of the reflection a goal came from (an evaluation, an experiment): the owner only."""
    return is_owner(actor, goal)
