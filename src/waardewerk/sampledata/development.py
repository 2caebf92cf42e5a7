"""Demo data of the development log (called by ``demo.DemoBuilder``): activities of the demo professionals
with their reflections and evidence, the intervision sessions they attended (projected from the demo
OT-groep, as the log page does), learning goals from their reflections, intervision experiments and a case
review, and a mentor relation with meetings and shared notes. Texts in sampledata/data/development.yaml."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

from waardewerk.development import selectors
from waardewerk.development.models import (
    Activity,
    ActivityKind,
    ActivityRegister,
    Evidence,
    GoalProgress,
    LearningGoal,
    MentorMeeting,
    Mentorship,
)
from waardewerk.intervision.models import CaseReview, Experiment
from waardewerk.sampledata.texts import load

# A one-page PDF that says what it is: the demo's evidence file.
EVIDENCE = b"".join(
    [
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n",
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R",
        b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n",
        b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Demo: bewijs van deelname) Tj ET\n",
        b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n",
        b"trailer<</Root 1 0 R>>\n%%EOF\n",
    ]
)


def _review_source(owner) -> tuple[CaseReview | None, str]:
    """The latest case review of one of the owner's trajectories, and its first checkpoint the reviewer
    judged as needing attention (the goal works on that)."""
    review = CaseReview.objects.filter(trajectory__responsible=owner).order_by("-created_at").first()
    if review is None:
        return None, ""
    key = next((r["key"] for r in review.result_list if r.get("verdict") == "attention"), "")
    return review, key


def create_development_data(builder, users: dict) -> dict:
    data = load("development")
    today = builder.today
    activities = {}
    for spec in data["activities"]:
        owner = users[spec["owner"]]
        activity = Activity.objects.create(
            uuid=builder.uuid(),
            owner=owner,
            kind=spec["kind"],
            title=spec["title"],
            provider=spec["provider"],
            pe_id=spec["pe_id"],
            date=today - dt.timedelta(days=spec["days_ago"]),
            hours=Decimal(str(spec["hours"])),
            points=Decimal(str(spec["points"])),
            reflection_technical=spec["technical"],
            reflection_normative=spec["normative"],
            reflection_personal=spec["personal"],
            shared_with_mentor=spec["shared_with_mentor"],
            shared_with_lead=spec["shared_with_lead"],
        )
        ActivityRegister.objects.bulk_create(
            ActivityRegister(activity=activity, register=r) for r in spec["registers"]
        )
        if spec["evidence"]:
            Evidence.objects.create(
                uuid=builder.uuid(),
                activity=activity,
                filename="bewijs-van-deelname.pdf",
                content_type="application/pdf",
                size=len(EVIDENCE),
                content=base64.b64encode(EVIDENCE).decode("ascii"),
            )
        activities[(spec["owner"], spec["title"])] = activity
    projected = 0
    for username, registers in sorted(data["intervision_registers"].items()):
        user = users[username]
        for session in selectors.unlogged_sessions(user, today):
            projected_activity = Activity.objects.create(
                uuid=builder.uuid(),
                owner=user,
                kind=ActivityKind.INTERVISION,
                title=session.title,
                date=session.date,
                hours=session.hours,
                points=session.hours,
                source_session_id=session.pk,
            )
            ActivityRegister.objects.bulk_create(
                ActivityRegister(activity=projected_activity, register=r) for r in registers
            )
            projected += 1
    progress = 0
    for spec in data["goals"]:
        owner = users[spec["owner"]]
        experiment = (
            Experiment.objects.filter(owner=owner).order_by("session__date").first()
            if spec["from_experiment"]
            else None
        )
        review, checkpoint = _review_source(owner) if spec.get("from_review") else (None, "")
        goal = LearningGoal.objects.create(
            uuid=builder.uuid(),
            source_review=review,
            source_checkpoint=checkpoint,
            owner=owner,
            title=spec["title"],
            description=spec["description"],
            status=spec["status"],
            target_date=today + dt.timedelta(days=spec["target_days"]),
            source_activity=activities.get((spec["owner"], spec["from_activity"])),
            source_experiment=experiment,
            shared_with_mentor=spec["shared_with_mentor"],
            shared_with_lead=spec["shared_with_lead"],
        )
        for step in spec["progress"]:
            GoalProgress.objects.create(
                uuid=builder.uuid(),
                goal=goal,
                date=today - dt.timedelta(days=step["days_ago"]),
                note=step["note"],
            )
            progress += 1
    meetings = 0
    for spec in data["mentorships"]:
        mentorship = Mentorship.objects.create(
            uuid=builder.uuid(),
            organisation_id=users[spec["mentee"]].organisation_id,
            mentor=users[spec["mentor"]],
            mentee=users[spec["mentee"]],
            started_on=today - dt.timedelta(days=spec["days_ago"]),
            notes=spec["notes"],
        )
        for meeting in spec["meetings"]:
            MentorMeeting.objects.create(
                uuid=builder.uuid(),
                mentorship=mentorship,
                date=today - dt.timedelta(days=meeting["days_ago"]),
                summary=meeting["summary"],
                author=users[meeting["author"]],
            )
            meetings += 1
    return {
        "development activities": len(activities) + projected,
        "learning goals": len(data["goals"]),
        "goal progress": progress,
        "mentor relations": len(data["mentorships"]),
        "mentor meetings": meetings,
    }
