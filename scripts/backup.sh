#!/usr/bin/env bash
# Backs up DutyDesk: a consistent PostgreSQL dump (pg_dump -Fc, one snapshot) and the media files,
# into a timestamped folder, then keeps the newest BACKUP_KEEP backups.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/dutydesk/media scripts/backup.sh [BACKUP_DIR]
# BACKUP_DIR (argument or env, default var/backups), BACKUP_KEEP (default 14). The database is dumped
# first and the media copied after it, so every file a row names is in the copy (files added in
# between are extra, and harmless). With media on S3-compatible storage, back the bucket up with the
# storage's own versioning instead (docs/deployment.md); MEDIA_ROOT is then not needed.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL (postgres://…)}"
case "$DATABASE_URL" in postgres://* | postgresql://*) ;; *) echo "!! backup.sh backs up PostgreSQL only" >&2; exit 2 ;; esac
backup_dir=${1:-${BACKUP_DIR:-var/backups}}
keep=${BACKUP_KEEP:-14}
media=${MEDIA_ROOT:-${DUTYDESK_VAR_DIR:-var}/media}
pg_bin() { command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1; }
pg_dump=$(pg_bin pg_dump)
[ -n "$pg_dump" ] || { echo "!! pg_dump not found (Debian: postgresql-client)" >&2; exit 1; }

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$backup_dir/dutydesk-$stamp"
mkdir -p "$dest.partial"
started=$(date +%s)
"$pg_dump" --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dest.partial/database.dump"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dest.partial/media.tar.gz" .
else
  tar -czf "$dest.partial/media.tar.gz" --files-from /dev/null
fi
(cd "$dest.partial" && sha256sum database.dump media.tar.gz >SHA256SUMS)
mv "$dest.partial" "$dest"  # a backup folder without .partial is complete
echo "backup: $dest ($(du -sh "$dest" | cut -f1), $(($(date +%s) - started)) s)"

# Retention: the newest $keep complete backups stay.
mapfile -t old < <(ls -1d "$backup_dir"/dutydesk-*Z 2>/dev/null | sort | head -n "-$keep")
for dir in "${old[@]}"; do rm -rf -- "$dir" && echo "removed old backup: $dir"; done
