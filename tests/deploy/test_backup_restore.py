"""The restore drill: deploy/backup.sh and deploy/restore.sh as an operator runs them at
night. A filled site is backed up (encrypted), its database and images are thrown away, the
backup is restored into a fresh database and an empty media directory, and the restored site
serves the same ideas and images. Needs pg_dump, pg_restore, psql and gpg; fails without."""

import os
import re
import shutil
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.utils import timezone

from audit.models import AuditEntry
from ideas.images import image_process
from ideas.models import IdeaImage
from ideas.services import call_extend, idea_data_from, idea_save_draft
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory, user_with_role
from tests.images import photo

from .helpers import database_url, gunicorn, run, site_env, table_digests, throwaway_database

pytestmark = pytest.mark.django_db(transaction=True)


def fill_site(media: Path) -> dict:
    """Ideas with images (one a draft), an editor's change, users: what a night's backup holds."""
    call = CallFactory()
    editor = user_with_role("Redaktion")
    call_extend(
        call=call,
        new_deadline=call.deadline + timedelta(days=7),
        reason="Mehr Zeit für Einreichungen",
        by=editor,
    )
    ideas = []
    for number, (colour, state) in enumerate(
        [((200, 40, 40), IdeaFactory), ((40, 200, 40), IdeaFactory), ((40, 40, 200), DraftFactory)]
    ):
        author = UserFactory()
        idea = state(call=call, author=author, title=f"Idee mit Bild {number}")
        idea_save_draft(
            call=call,
            author=author,
            data=idea_data_from(idea),
            idea=idea,
            images=[image_process(photo(colour=colour)), image_process(photo(size=(300, 900)))],
        )
        ideas.append(idea)
    files = {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }
    assert (
        len(files) == 3 * 2 * 3
    )  # 3 ideas, 2 images each, 3 files each (image, thumbnail, small thumbnail)
    assert AuditEntry.objects.count() >= 3  # the extension and the authors' changes
    return {"published": ideas[0], "files": files}


def gpg_key(home: Path) -> str:
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        [shutil.which("gpg"), "--batch", "--passphrase", "", "--quick-gen-key",
         "Mitmachen Backup <backup@example.org>", "default", "default", "never"],
        env=env, capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return "backup@example.org"


def test_restore_drill_brings_back_ideas_images_audit_log_and_users(settings, tmp_path):
    assert shutil.which("pg_dump") and shutil.which("gpg"), "needs postgresql-client and gpg"
    media = Path(settings.MEDIA_ROOT)
    site = fill_site(media)
    before = table_digests(database_url())
    gnupg = tmp_path / "gnupg"
    recipient = gpg_key(gnupg)
    backups = tmp_path / "backups"

    backup = run(
        "backup.sh",
        env=site_env(
            database=database_url(),
            media=media,
            BACKUP_DIR=str(backups),
            BACKUP_GPG_RECIPIENT=recipient,
            GNUPGHOME=str(gnupg),
        ),
    )
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert "Backup complete" in backup.stdout
    [made] = [path for path in backups.iterdir() if path.name.startswith("mitmachen-")]
    assert sorted(path.name for path in made.iterdir()) == [
        "INFO", "SHA256SUMS", "db.dump.gpg", "media.tar.gpg",
    ]  # fmt: skip
    assert (backups / "latest").resolve() == made
    # Encrypted: no idea title and no image is readable in the backup.
    for path in made.glob("*.gpg"):
        content = path.read_bytes()
        assert b"Idee mit Bild" not in content
        assert not any(image in content for image in site["files"].values())

    # The night goes wrong: the images are gone, the database is replaced by an empty one.
    shutil.rmtree(media)
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    with throwaway_database(f"restore_drill_{uuid.uuid4().hex[:8]}") as fresh:
        env = site_env(database=fresh, media=restored_media, GNUPGHOME=str(gnupg))
        restore = run("restore.sh", "latest", env={**env, "BACKUP_DIR": str(backups)})
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert "Restore complete" in restore.stdout

        after = table_digests(fresh)
        assert after == before
        for table in ("ideas_idea", "ideas_ideaimage", "accounts_user"):
            assert after[table][0] > 0, table
        assert any(table.endswith("auditentry") and after[table][0] >= 3 for table in after)
        restored_files = {
            path.relative_to(restored_media).as_posix(): path.read_bytes()
            for path in restored_media.rglob("*")
            if path.is_file()
        }
        assert restored_files == site["files"]

        # A second restore into the now filled database is refused, not mixed in.
        again = run("restore.sh", str(made), env=env)
        assert again.returncode != 0
        assert "is not empty" in again.stderr
        assert table_digests(fresh) == before

        with gunicorn(env) as base:
            idea = site["published"]
            page = requests.get(f"{base}/ideen/{idea.pk}/", timeout=30)
            assert page.status_code == 200
            assert idea.title in page.text
            served = [
                requests.get(urljoin(page.url, src), timeout=30)
                for src in re.findall(r'<img[^>]+src="([^"]+)"', page.text)
            ]
            served_bytes = {response.content for response in served if response.ok}
            for image in IdeaImage.objects.filter(idea=idea):
                assert site["files"][image.thumbnail_small.name] in served_bytes


def test_backup_keeps_recent_runs_deletes_old_ones_and_a_damaged_one_is_not_restored(
    settings, tmp_path
):
    backups = tmp_path / "backups"
    old = backups / "mitmachen-20000101T000000Z"
    recent = backups / f"mitmachen-{(timezone.now() - timedelta(days=2)):%Y%m%dT%H%M%SZ}"
    for path in (old, recent):
        path.mkdir(parents=True)
        (path / "SHA256SUMS").write_text("")
    env = site_env(
        database=database_url(),
        media=Path(settings.MEDIA_ROOT),
        BACKUP_DIR=str(backups),
        BACKUP_KEEP_DAYS="7",
    )

    result = run("backup.sh", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "removed 1 old backups" in result.stdout
    assert not old.exists()
    assert recent.exists()
    made = (backups / "latest").resolve()
    assert made != recent
    assert sorted(path.name for path in made.iterdir()) == [
        "INFO", "SHA256SUMS", "db.dump", "media.tar",
    ]  # fmt: skip

    # One flipped byte: the restore stops at the checksums, before it touches anything.
    dump = made / "db.dump"
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    dump.write_bytes(bytes(content))
    damaged = run("restore.sh", str(made), env=env)
    assert damaged.returncode != 0
    assert "checksums do not match" in damaged.stderr


def test_a_failed_backup_says_where_and_leaves_nothing_half_written(settings, tmp_path):
    backups = tmp_path / "backups"
    env = site_env(
        database=database_url(f"no_such_database_{uuid.uuid4().hex[:8]}"),
        media=Path(settings.MEDIA_ROOT),
        BACKUP_DIR=str(backups),
    )

    result = run("backup.sh", env=env)

    assert result.returncode != 0
    assert "BACKUP FAILED while dumping the database" in result.stderr
    assert [path.name for path in backups.iterdir() if not path.name.startswith(".lock")] == []
