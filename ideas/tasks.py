from celery import shared_task

from .models import Idea
from .services import idea_send_confirmation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_submission_confirmation(idea_id: int) -> bool:
    """Send the confirmation of a submitted idea (by primary key)."""
    idea = Idea.objects.select_related("author", "call").filter(pk=idea_id).first()
    if idea is None:
        return False
    return idea_send_confirmation(idea=idea)
