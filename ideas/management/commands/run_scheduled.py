import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.services import personal_data_purge
from events.notices import event_reminders_plan
from ideas import notices
from ideas.board import shortlist_notices_plan


class Command(BaseCommand):
    help = (
        "Run what Celery beat runs: plan reminders and call-closed notices, the daily digest "
        "after 7:00, send pending notices and purge personal data past its retention period. "
        "For the embedded default without a beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds (0: run once)."
        )

    def handle(self, *args, every, **options):
        while True:
            planned = notices.notices_plan() + event_reminders_plan() + shortlist_notices_plan()
            if timezone.localtime().hour >= 7:
                planned += notices.notices_plan_digest()
            sent = notices.notices_send_pending()
            # Idempotent and cheap when nothing is due, so every round is fine.
            purged = sum(personal_data_purge().values())
            self.stdout.write(
                f"{timezone.localtime():%d.%m.%Y %H:%M:%S}: "
                f"{planned} notices planned, {sent} sent, {purged} personal records purged."
            )
            if not every:
                return
            time.sleep(every)
