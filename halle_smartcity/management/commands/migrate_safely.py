"""`migrate` that several processes may start at once (web replicas, a compose one-off and a
Kubernetes Job racing each other): on PostgreSQL one of them migrates while holding an
advisory lock, the others wait for it and then find nothing left to do."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

# A fixed key every Mitmachen process agrees on ("mitmachen" as a number); advisory locks
# share one key space per database, so it only needs to differ from other applications' keys.
MIGRATION_LOCK_KEY = 0x6D69746D61636865
POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = (
        "Apply the migrations under a PostgreSQL advisory lock, so that several processes "
        "starting at once migrate one after the other instead of colliding. On SQLite it "
        "simply migrates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=int,
            default=900,
            help="Seconds to wait for another process's migration before giving up (900).",
        )

    def handle(self, *args, wait: int, verbosity: int, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            self._migrate(verbosity)
            return
        # The lock lives on a connection of its own: `migrate` may close and reopen the
        # default connection, and a session lock would go with it.
        lock = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            self._acquire(lock, wait)
            try:
                self._migrate(verbosity)
            finally:
                with lock.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
            self.stdout.write("Migration lock released.")
        finally:
            lock.close()

    def _acquire(self, lock, wait: int) -> None:
        with lock.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
            if cursor.fetchone()[0]:
                self.stdout.write("Migration lock acquired.")
                return
            self.stdout.write(
                f"Another process is migrating; waiting up to {wait} s for its lock ..."
            )
            started = time.monotonic()
            # Polled, not a blocking pg_advisory_lock(): a statement waiting for the lock
            # holds a snapshot, and a migration that builds an index CONCURRENTLY waits for
            # every older snapshot in the database, so both would wait for each other.
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() - started > wait:
                    raise CommandError(
                        f"Gave up after {wait} s waiting for another process's migration."
                    )
                time.sleep(POLL_SECONDS)
            self.stdout.write(f"Migration lock acquired after {time.monotonic() - started:.1f} s.")

    def _migrate(self, verbosity: int) -> None:
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Database schema is up to date."))
