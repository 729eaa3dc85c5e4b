from django.core.management.base import BaseCommand

from ideas.counts import counts_refresh


class Command(BaseCommand):
    help = (
        "Count the published ideas per call, action field, quarter, status, channel and day "
        "now (after deploying, or instead of waiting for the periodic task)."
    )

    def handle(self, *args, **options):
        scopes = counts_refresh()
        self.stdout.write(f"Counted {scopes} scopes.")
