"""The review's part of a person's data: an assessor's own assessments, for their download.
When the account goes, the assessments stay without the person (Assignment.assessor is set
to NULL with the account)."""

from accounts import personal_data

from .models import Assignment


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(*, user, emails: set[str]) -> dict:
    assignments = (
        Assignment.objects.filter(assessor=user)
        .select_related("idea", "assessment")
        .prefetch_related("assessment__scores__criterion")
        .order_by("assigned_at", "id")
    )
    rows = []
    for assignment in assignments:
        assessment = getattr(assignment, "assessment", None)
        rows.append(
            {
                "idea": assignment.idea.reference,
                "assigned_at": _iso(assignment.assigned_at),
                "recused_at": _iso(assignment.recused_at),
                "recusal_reason": assignment.recusal_reason,
                "comment": assessment.comment if assessment else None,
                "submitted_at": _iso(assessment.submitted_at) if assessment else None,
                "scores": [
                    {
                        "criterion": str(score.criterion),
                        "value": score.value,
                        "reason": score.reason,
                    }
                    for score in assessment.scores.all()
                ]
                if assessment
                else [],
            }
        )
    return {"assessments": rows}


personal_data.register(personal_data.Provider(name="review", order=20, export=export))
