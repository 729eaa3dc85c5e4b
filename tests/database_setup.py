"""The test databases: under pytest-xdist, migrated once and copied for each worker.

pytest-django migrates a database per worker; on two cores four workers migrating at once
take most of a minute. Here the first worker that needs the database migrates it (under a
file lock, as pytest-django would without xdist: `test_<NAME>`), and every worker then gets
a copy of it (`CREATE DATABASE ... TEMPLATE`, what Django's own parallel runner does) under
pytest-django's name `test_<NAME>_gw<N>`. The controller drops the migrated one at the end.
Without xdist, or with --reuse-db or --no-migrations, pytest-django's way applies.
"""

import fcntl
import os
import tempfile
from pathlib import Path

import pytest


def _template_lock() -> Path | None:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return Path(tempfile.gettempdir()) / f"mitmachen-test-db-{run}.lock" if run else None


def _plugin_setup(request, django_db_blocker):
    """pytest-django's own django_db_setup (pytest_django/fixtures.py), whose options apply."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    request.getfixturevalue("django_db_modify_db_settings")  # the worker's suffix
    keepdb = request.getfixturevalue("django_db_keepdb")
    if not request.getfixturevalue("django_db_use_migrations"):
        _disable_migrations()
    extra = {}
    if keepdb and not request.getfixturevalue("django_db_createdb"):
        extra["keepdb"] = True
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            **extra,
        )
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


def _cloned_setup(request, django_db_blocker, lock: Path, worker: str):
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    assert aliases <= {"default"} and not serialized_aliases, (
        "tests/database_setup.py copies the default database only, without serialized rows"
    )
    original = connection.settings_dict["NAME"]
    with django_db_blocker.unblock(), lock.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        handle.seek(0)
        if handle.read() == "migrated":
            # As create_test_db leaves it: the test database's name in place of the real one.
            name = connection.creation._get_test_db_name()
            settings.DATABASES["default"]["NAME"] = name
            connection.settings_dict["NAME"] = name
        else:
            setup_databases(verbosity=0, interactive=False, aliases={"default"})
            handle.write("migrated")
            handle.flush()
        # Closes this worker's connection to the template first (PostgreSQL copies only a
        # database nobody is connected to), and copies under the lock for the same reason.
        connection.creation.clone_test_db(suffix=worker, verbosity=0)
        clone = connection.creation.get_test_db_clone_settings(worker)["NAME"]
        settings.DATABASES["default"]["NAME"] = clone
        connection.settings_dict["NAME"] = clone
        connection.close()
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(original, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    lock = _template_lock()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    options = request.config.option
    if lock is None or worker is None or options.reuse_db or options.nomigrations:
        yield from _plugin_setup(request, django_db_blocker)
    else:
        yield from _cloned_setup(request, django_db_blocker, lock, worker)


def drop_template(config) -> None:
    """In the xdist controller at the end of the run: drop the migrated database the workers
    copied, and the lock file."""
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    dsession = config.pluginmanager.getplugin("dsession")
    manager = getattr(dsession, "nodemanager", None)
    if manager is None or config.option.reuse_db or config.option.nomigrations:
        return
    with config.stash[blocking_manager_key].unblock():
        name = connection.creation._get_test_db_name()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    (Path(tempfile.gettempdir()) / f"mitmachen-test-db-{manager.testrunuid}.lock").unlink(
        missing_ok=True
    )
