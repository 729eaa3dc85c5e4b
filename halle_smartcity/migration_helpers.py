"""Helpers for the data migrations that moved models between apps (December 2026, when the
`ideas` app was split by concept): the content types move with their models, so that the
role groups' permissions, the admin's history and generic relations keep pointing at them."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations.operations import AddIndex


def move_content_types(old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """A migration operation that relabels the content types of `models` (lower-case model
    names) from `old_app` to `new_app`, keeping their ids; reversible."""

    def relabel(apps, schema_editor, source, target):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        for model in models:
            old = ContentType.objects.filter(app_label=source, model=model).first()
            if old is None:
                continue  # a database that never had the model: post_migrate creates it
            stray = ContentType.objects.filter(app_label=target, model=model).first()
            if stray is not None:
                # Made by a permission check earlier in this run, so nothing refers to it but
                # its own permissions: the old row, with its history, wins.
                Permission.objects.filter(content_type=stray).delete()
                stray.delete()
            old.app_label = target
            old.save(update_fields=["app_label"])
        ContentType.objects.clear_cache()

    return migrations.RunPython(
        lambda apps, editor: relabel(apps, editor, old_app, new_app),
        lambda apps, editor: relabel(apps, editor, new_app, old_app),
    )


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    """`AddIndexConcurrently` on PostgreSQL (a large table keeps taking writes while the index
    is built), a plain `AddIndex` elsewhere: SQLite, the embedded default, has no CONCURRENTLY
    and Django's operation refuses it there."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
