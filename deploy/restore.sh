#!/usr/bin/env bash
# Restore Mitmachen from a directory written by deploy/backup.sh: the database, then the images.
#
#   deploy/restore.sh BACKUP            restore into an EMPTY database (the safe default)
#   deploy/restore.sh --clean BACKUP    replace what the database and the storage hold now
#
# BACKUP is a backup directory, or "latest" for the newest one in BACKUP_DIR. Stop web, worker
# and beat first (docs/operations.md, "Restore at night"). Variables:
#   DATABASE_URL          the database to restore into (required; it must exist)
#   BACKUP_DIR            where "latest" is looked up             (/var/backups/mitmachen)
#   BACKUP_AGE_IDENTITY   age key file for encrypted backups (gpg uses its keyring)
#   MANAGE, PG_RESTORE, PSQL   how to run manage.py, pg_restore and psql
#                         ("python manage.py", "pg_restore", "psql"); on a compose host e.g.
#                         MANAGE="docker compose run --rm --no-deps -T web python manage.py"
#                         PG_RESTORE="docker compose exec -T db pg_restore"
#                         PSQL="docker compose exec -T db psql"
#                         DATABASE_URL=postgresql://mitmachen@/mitmachen  (the db container's socket)
set -euo pipefail

say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { printf 'RESTORE FAILED: %s\n' "$*" >&2; exit 1; }
usage() { echo "usage: deploy/restore.sh [--clean] BACKUP_DIRECTORY|latest" >&2; exit 2; }

clean=no
case "${1:-}" in
  --clean) clean=yes; shift ;;
  -h | --help | "") usage ;;
esac
[ $# -eq 1 ] || usage
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (the database to restore into)."
read -r -a manage <<<"${MANAGE:-python manage.py}"
read -r -a pg_restore <<<"${PG_RESTORE:-pg_restore}"
read -r -a psql <<<"${PSQL:-psql}"

backup=$1
if [ "$backup" = latest ]; then
  backup="${BACKUP_DIR:-/var/backups/mitmachen}/latest"
fi
[ -d "$backup" ] || fail "no backup directory at $backup."
backup=$(cd "$backup" && pwd -P)
[ -f "$backup/SHA256SUMS" ] || fail "$backup has no SHA256SUMS: not a complete backup."

step="checking the backup"
trap 'status=$?; [ -n "${plain:-}" ] && rm -rf "$plain"; if [ $status -ne 0 ]; then
  printf "RESTORE FAILED while %s (exit %s). Read the message above; nothing after this step ran.\n" "$step" "$status" >&2; fi' EXIT

say "Restore from $backup"
cat "$backup/INFO" 2>/dev/null | sed 's/^/    /' || true
say "1/5 Checksums"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || fail "checksums do not match: the backup is damaged, take another one."

step="decrypting"
plain=$(mktemp -d)
for file in db.dump media.tar; do
  if [ -f "$backup/$file" ]; then
    ln -s "$backup/$file" "$plain/$file"
  elif [ -f "$backup/$file.age" ]; then
    [ -n "${BACKUP_AGE_IDENTITY:-}" ] || fail "$file is encrypted with age: set BACKUP_AGE_IDENTITY to the key file."
    age --decrypt --identity "$BACKUP_AGE_IDENTITY" --output "$plain/$file" "$backup/$file.age"
  elif [ -f "$backup/$file.gpg" ]; then
    gpg --batch --quiet --decrypt --output "$plain/$file" "$backup/$file.gpg"
  else
    fail "$backup holds no $file."
  fi
done
say "2/5 Files ready (db.dump, media.tar)"

step="checking the target database"
tables=$("${psql[@]}" -X -q -t -A -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL" \
  -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
target=$(printf '%s' "$DATABASE_URL" | sed -E 's#//[^@/]*@#//***@#')
if [ "$tables" != 0 ] && [ "$clean" = no ]; then
  fail "the database $target is not empty ($tables tables). Restore into a new, empty database, or pass --clean to replace its content."
fi

step="restoring the database"
say "3/5 Database into $target"
options=(--no-owner --no-privileges --no-comments --exit-on-error --single-transaction)
[ "$clean" = yes ] && options+=(--clean --if-exists)
# From standard input, so PG_RESTORE may run in another container.
"${pg_restore[@]}" "${options[@]}" --dbname="$DATABASE_URL" <"$plain/db.dump"

step="restoring the images"
say "4/5 Images: manage.py media_restore"
media_options=()
[ "$clean" = yes ] && media_options+=(--replace)
"${manage[@]}" media_restore "${media_options[@]}" - <"$plain/media.tar"

step="making cached pages stale"
say "5/5 Cached pages made stale"
"${manage[@]}" shell -c "from halle_smartcity.page_cache import pages_changed; pages_changed()"

say "Restore complete. Next: run the migrations (manage.py migrate_safely) if the code is newer"
say "than the backup, then start web, worker and beat, and open an idea with images."
