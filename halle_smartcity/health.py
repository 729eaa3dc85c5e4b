"""Probes for the orchestrator (compose healthchecks, Kubernetes probes, the proxy):
`/healthz/` says the process answers, `/readyz/` whether it can serve (database, cache,
broker, storage, migrations). Both are answered by `ProbeMiddleware` before the host check
and the HTTPS redirect: probes come by the container's address and without TLS."""

import asyncio
import dataclasses

from asgiref.sync import async_to_sync
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from health_check import Cache, Database, HealthCheck, Storage
from health_check.base import HealthCheckResult
from health_check.exceptions import ServiceUnavailable
from kombu.exceptions import OperationalError as BrokerError

from halle_smartcity.celery import app as celery_app


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (the one task publishing would use)."""

    def run(self) -> None:
        try:
            with celery_app.connection_for_write() as connection:
                # One attempt, no back-off: a probe must answer quickly.
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        except (BrokerError, OSError) as error:
            raise ServiceUnavailable("Broker unreachable") from error


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration this code knows is applied: a replica with newer code than the
    database (the migration job has not run yet) must not get traffic."""

    def run(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        # Runs in a worker thread: close what it opens rather than leave it to that thread.
        with connection.temporary_connection():
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")


def readiness_checks() -> dict[str, HealthCheck]:
    return {
        "database": Database(),
        "cache": Cache(),
        "broker": Broker(),
        "storage": Storage(),
        "migrations": Migrations(),
    }


async def _run_all(checks: dict[str, HealthCheck]) -> list[HealthCheckResult]:
    # Concurrently, each under its own time limit (django-health-check's get_result).
    return await asyncio.gather(*(check.get_result() for check in checks.values()))


def _never_cache(response: JsonResponse) -> JsonResponse:
    add_never_cache_headers(response)
    return response


def liveness(request) -> JsonResponse:
    """The process answers requests; nothing else is asked (a restart would not help)."""
    return _never_cache(JsonResponse({"status": "alive"}))


def readiness(request) -> JsonResponse:
    """One entry per dependency, "ok" or what failed; 503 when one fails."""
    checks = readiness_checks()
    results = async_to_sync(_run_all)(checks)
    report = {
        name: "ok" if result.error is None else str(result.error)
        for name, result in zip(checks, results, strict=True)
    }
    ready = all(result.error is None for result in results)
    return _never_cache(
        JsonResponse(
            {"status": "ready" if ready else "unavailable", "checks": report},
            status=200 if ready else 503,
        )
    )
