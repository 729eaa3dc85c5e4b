"""The board's part of a person's data: a member's own recommendations, for their download.
When the account goes, the recommendations stay without the person (member set to NULL)."""

from accounts import personal_data

from .models import Recommendation


def export(*, user, emails: set[str]) -> dict:
    recommendations = (
        Recommendation.objects.filter(member=user)
        .select_related("item__shortlist")
        .order_by("updated_at", "id")
    )
    return {
        "board_recommendations": [
            {
                "shortlist": recommendation.item.shortlist.title,
                "item": recommendation.item.snapshot.get("title") or str(recommendation.item),
                "vote": recommendation.vote,
                "comment": recommendation.comment,
                "conflict_of_interest": recommendation.conflict_of_interest,
                "updated_at": recommendation.updated_at.isoformat(),
            }
            for recommendation in recommendations
        ]
    }


personal_data.register(personal_data.Provider(name="board", order=30, export=export))
