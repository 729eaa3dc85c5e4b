"""Prometheus metrics at /metrics/ for a scraper with the bearer token METRICS_TOKEN:
django-prometheus's request metrics plus gauges computed at scrape time, each with a
constant number of queries. Apps add theirs with `register` in their AppConfig.ready()
(the outbox's notices: notices/metrics.py)."""

import hmac
import logging
import os
from collections.abc import Iterable

import redis
from django.conf import settings
from django.http import HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from halle_smartcity.celery import app as celery_app

logger = logging.getLogger(__name__)

_collectors: list[Collector] = []


def register(collector: Collector) -> None:
    """Add a collector whose `collect()` runs at every scrape."""
    _collectors.append(collector)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


class CeleryQueueCollector(Collector):
    """Messages waiting in the broker's queue (a Redis list: one LLEN); a growing queue
    means the workers do not keep up or are gone."""

    def __init__(self):
        self._clients: dict[str, redis.Redis] = {}

    def _client(self, url: str) -> redis.Redis:
        if url not in self._clients:
            self._clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=1, socket_timeout=1
            )
        return self._clients[url]

    def collect(self) -> Iterable[Metric]:
        url = celery_app.conf.broker_url or ""
        if not url.startswith(("redis://", "rediss://", "unix://")):
            return  # the embedded default runs tasks in-process: there is no queue
        queue = celery_app.conf.task_default_queue
        up = GaugeMetricFamily("mitmachen_celery_broker_up", "The broker answers (1) or not (0)")
        try:
            length = self._client(url).llen(queue)
        except redis.RedisError:
            logger.warning("Metrics: the Celery broker does not answer")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        waiting = GaugeMetricFamily(
            "mitmachen_celery_queue_length", "Tasks waiting in the queue", labels=["queue"]
        )
        waiting.add_metric([queue], length)
        yield waiting


register(CeleryQueueCollector())


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn's workers each count their own requests; the files join them.
        MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    for collector in _collectors:
        registry.register(collector)
    return registry


def authorised(request) -> bool:
    expected = f"Bearer {settings.MITMACHEN_METRICS_TOKEN}".encode()
    return hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected)


def metrics(request) -> HttpResponse:
    """The metrics in Prometheus's text format; 403 without the right token."""
    if not authorised(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(
        generate_latest(_registry()), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
