# Shared by member-backup and member-restore: settings, client tools, connection arguments.
# Sourced, not run; the caller has set -euo pipefail.
# shellcheck shell=bash disable=SC2034 # the variables set here are for the scripts that source it

BACKUP_DIR=${BACKUP_DIR:-/backup}
BACKUP_RETENTION_DAYS=${BACKUP_RETENTION_DAYS:-14}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
MYSQL_USER=${MYSQL_USER:-root}
MYSQL_DATABASES=${MYSQL_DATABASES:-ms_gateway,ms_member,ms_point,ms_benefit,ms_event}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}

# The password travels in the environment, never in argv (where `ps` shows it).
if [[ -n ${MYSQL_PASSWORD:-} ]]; then export MYSQL_PWD=$MYSQL_PASSWORD; fi
if [[ -n ${REDIS_PASSWORD:-} ]]; then export REDISCLI_AUTH=$REDIS_PASSWORD; fi
# A read-only root file system: the clients may only write under /tmp (and $BACKUP_DIR).
export HOME=${HOME:-/tmp}
export TMPDIR=${TMPDIR:-/tmp}

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# The first of the given commands that exists: MariaDB names first, MySQL's otherwise.
pick_tool() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      echo "$name"
      return 0
    fi
  done
  die "none of $* is installed"
}
MYSQL_CLIENT=$(pick_tool mariadb mysql)
MYSQL_DUMP=$(pick_tool mariadb-dump mysqldump)
MYSQL_BINLOG=$(pick_tool mariadb-binlog mysqlbinlog)

CONNECTION=(--host="$MYSQL_HOST" --port="$MYSQL_PORT" --user="$MYSQL_USER" --protocol=TCP)

# One statement, tab-separated rows without headers.
sql() { "$MYSQL_CLIENT" "${CONNECTION[@]}" --batch --skip-column-names -e "$1"; }

# SCHEMAS: the names in MYSQL_DATABASES, each checked, since they end up in SQL.
SCHEMAS=()
IFS=',' read -r -a _names <<<"$MYSQL_DATABASES"
for _name in "${_names[@]}"; do
  _name=${_name//[[:space:]]/}
  [[ -z $_name ]] && continue
  [[ $_name =~ ^[A-Za-z0-9_]+$ ]] || die "schema name '$_name' may hold only letters, digits and _"
  SCHEMAS+=("$_name")
done
unset _names _name
((${#SCHEMAS[@]} > 0)) || die 'MYSQL_DATABASES names no schema'

binary_logging_on() { [[ $(sql 'SELECT @@GLOBAL.log_bin') == 1 ]]; }

# Timestamps name the backups: UTC, sortable, no characters that need quoting.
TIMESTAMP_FORMAT=%Y%m%dT%H%M%SZ
utc_timestamp() { date -u +"$TIMESTAMP_FORMAT"; }

FULL_DIR=$BACKUP_DIR/mysql/full
BINLOG_DIR=$BACKUP_DIR/mysql/binlog
REDIS_DIR=$BACKUP_DIR/redis
MANIFEST=manifest.tsv
