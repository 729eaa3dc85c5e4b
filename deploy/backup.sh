#!/usr/bin/env bash
# Back up Mitmachen: the database as a custom-format dump (pg_dump -Fc) and every uploaded
# image (manage.py media_backup: the file system or the S3 bucket, whichever is configured).
#
#   deploy/backup.sh
#
# Each run writes one directory BACKUP_DIR/mitmachen-<UTC time>/ with db.dump, media.tar,
# SHA256SUMS and INFO; it appears only when complete. Runs older than BACKUP_KEEP_DAYS are
# deleted afterwards (the newest is always kept). docs/operations.md explains every variable:
#   DATABASE_URL          the database to dump (required)
#   BACKUP_DIR            where backups go                      (/var/backups/mitmachen)
#   BACKUP_KEEP_DAYS      days to keep backups; 0 keeps all     (14)
#   BACKUP_AGE_RECIPIENT  encrypt with age to this public key   (no encryption)
#   BACKUP_GPG_RECIPIENT  or with gpg to this key id            (no encryption)
#   MANAGE, PG_DUMP, PG_RESTORE   how to run manage.py, pg_dump and pg_restore
#                         ("python manage.py", "pg_dump", "pg_restore"); on a compose host e.g.
#                         MANAGE="docker compose exec -T web python manage.py"
#                         PG_DUMP="docker compose exec -T db pg_dump"
#                         PG_RESTORE="docker compose exec -T db pg_restore"
#                         DATABASE_URL=postgresql://mitmachen@/mitmachen  (the db container's socket)
set -euo pipefail

say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { printf 'BACKUP FAILED: %s\n' "$*" >&2; exit 1; }

[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (the database to back up)."
BACKUP_DIR=${BACKUP_DIR:-/var/backups/mitmachen}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
[[ "$BACKUP_KEEP_DAYS" =~ ^[0-9]+$ ]] || fail "BACKUP_KEEP_DAYS must be a number of days."
read -r -a manage <<<"${MANAGE:-python manage.py}"
read -r -a pg_dump <<<"${PG_DUMP:-pg_dump}"
read -r -a pg_restore <<<"${PG_RESTORE:-pg_restore}"
if [ -n "${BACKUP_AGE_RECIPIENT:-}" ] && [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
  fail "Set BACKUP_AGE_RECIPIENT or BACKUP_GPG_RECIPIENT, not both."
fi
if [ -n "${BACKUP_AGE_RECIPIENT:-}" ]; then
  command -v age >/dev/null || fail "BACKUP_AGE_RECIPIENT is set but 'age' is not installed."
elif [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
  command -v gpg >/dev/null || fail "BACKUP_GPG_RECIPIENT is set but 'gpg' is not installed."
fi

mkdir -p "$BACKUP_DIR"
if command -v flock >/dev/null; then
  exec 9>"$BACKUP_DIR/.lock"
  flock -n 9 || fail "another backup is running (lock $BACKUP_DIR/.lock)."
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="mitmachen-$stamp"
work="$BACKUP_DIR/.$name.partial"
step="preparing"
trap 'status=$?; if [ $status -ne 0 ]; then rm -rf "$work";
  if [ -d "$BACKUP_DIR/$name" ]; then
    printf "BACKUP FAILED while %s (exit %s), after the backup %s was complete.\n" "$step" "$status" "$name" >&2
  else
    printf "BACKUP FAILED while %s (exit %s). This run left nothing behind; older backups are untouched.\n" "$step" "$status" >&2
  fi; fi' EXIT
mkdir "$work"

say "Backup $name into $BACKUP_DIR"
step="dumping the database"
say "1/4 Database: pg_dump (custom format)"
"${pg_dump[@]}" --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" >"$work/db.dump"
# A dump pg_restore cannot list is no backup.
"${pg_restore[@]}" --list <"$work/db.dump" >/dev/null
say "    $(du -h "$work/db.dump" | cut -f1) written"

step="copying the images"
say "2/4 Images: manage.py media_backup"
"${manage[@]}" media_backup - >"$work/media.tar"
tar -tf "$work/media.tar" manifest.json >/dev/null

step="encrypting"
encryption=none
for file in db.dump media.tar; do
  if [ -n "${BACKUP_AGE_RECIPIENT:-}" ]; then
    age --encrypt --recipient "$BACKUP_AGE_RECIPIENT" --output "$work/$file.age" "$work/$file"
    rm "$work/$file"; encryption=age
  elif [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
    gpg --batch --yes --trust-model always --recipient "$BACKUP_GPG_RECIPIENT" \
      --output "$work/$file.gpg" --encrypt "$work/$file"
    rm "$work/$file"; encryption=gpg
  fi
done
say "3/4 Encryption: $encryption"

step="writing checksums"
(cd "$work" && sha256sum -- db.dump* media.tar* >SHA256SUMS)
{
  echo "created: $stamp"
  echo "database: $(printf '%s' "$DATABASE_URL" | sed -E 's#//[^@/]*@#//***@#')"
  echo "encryption: $encryption"
} >"$work/INFO"
mv "$work" "$BACKUP_DIR/$name"
ln -sfn "$name" "$BACKUP_DIR/latest"

step="deleting old backups"
if [ "$BACKUP_KEEP_DAYS" -gt 0 ]; then
  # Backups are named by their UTC time, so the names compare like the times they carry.
  cutoff="mitmachen-$(date -u -d "-$BACKUP_KEEP_DAYS days" +%Y%m%dT%H%M%SZ)"
  removed=0
  for dir in "$BACKUP_DIR"/mitmachen-????????T??????Z; do
    [ -d "$dir" ] || continue
    old=$(basename "$dir")
    if [[ "$old" < "$cutoff" ]] && [ "$old" != "$name" ]; then
      rm -rf -- "$dir"; removed=$((removed + 1))
    fi
  done
  say "4/4 Retention: kept $BACKUP_KEEP_DAYS days, removed $removed old backups"
else
  say "4/4 Retention: BACKUP_KEEP_DAYS=0, every backup kept"
fi
say "Backup complete: $BACKUP_DIR/$name"
