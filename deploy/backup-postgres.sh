#!/usr/bin/env bash
# A backup of the site's PostgreSQL database: one pg_dump in custom format (compressed,
# restorable table by table), checked readable, then backups older than the retention
# removed. learning-backup.timer runs it nightly as postgres (deploy/systemd/).
#
#   LEARNING_DB=learning BACKUP_DIR=/var/backups/learning BACKUP_KEEP_DAYS=14 \
#     deploy/backup-postgres.sh
#
# Restore (docs/deploy.md, "Backups"): into a new, empty database, then point
# DATABASE_URL at it, or drop and recreate the old one first:
#   createdb -O learning learning_restored
#   pg_restore --dbname learning_restored --no-owner --role learning --exit-on-error FILE
#
# Connection: pg_dump's own variables (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass);
# by default the local server through its socket, as the user running the script.
set -euo pipefail

DB="${LEARNING_DB:-learning}"
DIR="${BACKUP_DIR:-/var/backups/learning}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

case "$KEEP_DAYS" in
  '' | *[!0-9]*) echo "Error: BACKUP_KEEP_DAYS=$KEEP_DAYS is not a whole number of days." >&2; exit 1 ;;
esac

umask 077 # the dump holds every account's password hash
mkdir -p "$DIR"
stamp="$(date -u +%Y%m%d-%H%M%S)"
file="$DIR/$DB-$stamp.dump"

# Written under a temporary name and renamed once whole and readable: a dump cut short
# (disk full, database gone) never counts as a backup, nor pushes a good one out.
pg_dump --format=custom --compress=6 --file="$file.partial" "$DB"
pg_restore --list "$file.partial" >/dev/null
mv "$file.partial" "$file"
echo "Backed up $DB to $file ($(du -h "$file" | cut -f1))."

# Retention: dumps older than KEEP_DAYS go (never the one just made), and so do partial
# ones left by a crash.
find "$DIR" -maxdepth 1 -name "$DB-*.dump.partial" -mmin +60 -delete
find "$DIR" -maxdepth 1 -name "$DB-*.dump" -mtime "+$KEEP_DAYS" ! -path "$file" -print -delete
