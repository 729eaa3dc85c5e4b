"""The outbox in Prometheus (halle_smartcity.metrics): notices waiting and given up, and the
age of the oldest waiting one, in one query per scrape. Pending notices that grow old mean
the sweep or the mail server is stuck; failed ones need a person."""

import logging
from collections.abc import Iterable

from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .models import Notice, NoticeState

logger = logging.getLogger(__name__)


class OutboxCollector(Collector):
    def collect(self) -> Iterable[Metric]:
        pending = Q(state=NoticeState.PENDING)
        try:
            counts = Notice.objects.aggregate(
                pending=Count("pk", filter=pending),
                failed=Count("pk", filter=Q(state=NoticeState.FAILED)),
                oldest=Min("created_at", filter=pending),
            )
        except DatabaseError:
            # The other metrics still count; readiness reports the database.
            logger.warning("Metrics: the outbox could not be counted", exc_info=True)
            return
        notices = GaugeMetricFamily(
            "mitmachen_outbox_notices", "Notices in the outbox by state", labels=["state"]
        )
        notices.add_metric(["pending"], counts["pending"])
        notices.add_metric(["failed"], counts["failed"])
        yield notices
        age = counts["oldest"] and (timezone.now() - counts["oldest"]).total_seconds()
        yield GaugeMetricFamily(
            "mitmachen_outbox_oldest_pending_seconds",
            "Age of the oldest pending notice (0 when none waits)",
            value=age or 0,
        )
