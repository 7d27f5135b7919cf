#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and an empty media folder.
#   DATABASE_URL=postgres://…/new_db MEDIA_ROOT=/srv/dutydesk/media scripts/restore.sh var/backups/dutydesk-…Z
# The checksums are verified first; the database is restored in one transaction (all or nothing).
# Then run `manage.py migrate` with the release that made the backup or a newer one.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?usage: scripts/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?set DATABASE_URL (postgres://…) of an empty database}"
media=${MEDIA_ROOT:-${DUTYDESK_VAR_DIR:-var}/media}
pg_bin() { command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1; }
pg_restore=$(pg_bin pg_restore)
psql=$(pg_bin psql)
[ -n "$pg_restore" ] && [ -n "$psql" ] || { echo "!! pg_restore / psql not found (Debian: postgresql-client)" >&2; exit 1; }

[ -f "$src/database.dump" ] || { echo "!! $src is not a complete backup" >&2; exit 1; }
(cd "$src" && sha256sum --quiet -c SHA256SUMS) || { echo "!! checksums do not match: $src" >&2; exit 1; }
tables=$("$psql" "$DATABASE_URL" -Atc "select count(*) from information_schema.tables where table_schema = 'public'")
[ "$tables" = "0" ] || { echo "!! the database is not empty ($tables tables): restore into an empty one" >&2; exit 1; }
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
  echo "!! $media is not empty: restore into an empty folder" >&2
  exit 1
fi

started=$(date +%s)
"$pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$src/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$src/media.tar.gz"
echo "restored: $src ($(($(date +%s) - started)) s)"
