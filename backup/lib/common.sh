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

# --- encryption ---------------------------------------------------------------------------------
# age public-key encryption: the cluster holds only the recipients (public keys), so whoever takes
# over the cluster cannot read the backups; the identity (private key) is needed only to restore.
# Recipients: BACKUP_AGE_RECIPIENTS (age1... or ssh- keys, separated by commas or new lines)
# and/or BACKUP_AGE_RECIPIENTS_FILE (a recipients file, e.g. mounted from a Secret).
# Identity: BACKUP_AGE_IDENTITY_FILE, supplied to member-restore only.
AGE_SUFFIX=.age
AGE_RECIPIENT_ARGS=()
if [[ -n ${BACKUP_AGE_RECIPIENTS:-} ]]; then
  while IFS= read -r _recipient; do
    _recipient=${_recipient#"${_recipient%%[![:space:]]*}"}
    _recipient=${_recipient%"${_recipient##*[![:space:]]}"}
    [[ -n $_recipient ]] && AGE_RECIPIENT_ARGS+=(--recipient "$_recipient")
  done <<<"${BACKUP_AGE_RECIPIENTS//,/$'\n'}"
  unset _recipient
fi
if [[ -n ${BACKUP_AGE_RECIPIENTS_FILE:-} ]]; then
  [[ -r $BACKUP_AGE_RECIPIENTS_FILE ]] ||
    die "BACKUP_AGE_RECIPIENTS_FILE $BACKUP_AGE_RECIPIENTS_FILE cannot be read"
  AGE_RECIPIENT_ARGS+=(--recipients-file "$BACKUP_AGE_RECIPIENTS_FILE")
fi
encryption_on() { ((${#AGE_RECIPIENT_ARGS[@]} > 0)); }

# stdin to stdout, encrypted to the recipients when there are any.
seal() {
  if encryption_on; then age --encrypt "${AGE_RECIPIENT_ARGS[@]}"; else cat; fi
}

# A backup file's contents on stdout: decrypted with the identity when it is an .age file.
unseal() {
  if [[ $1 == *"$AGE_SUFFIX" ]]; then
    age --decrypt --identity "$BACKUP_AGE_IDENTITY_FILE" "$1"
  else
    cat -- "$1"
  fi
}

# Fails before anything is written when a recipient is malformed (age checks them all).
check_recipients() {
  encryption_on || return 0
  command -v age >/dev/null 2>&1 || die 'age is not installed (backups are encrypted with it)'
  local problem
  problem=$(age --encrypt "${AGE_RECIPIENT_ARGS[@]}" </dev/null 2>&1 >/dev/null) ||
    die "the age recipients in BACKUP_AGE_RECIPIENTS / BACKUP_AGE_RECIPIENTS_FILE are not usable: $problem"
}

# Fails unless BACKUP_AGE_IDENTITY_FILE is there to decrypt .age files.
check_identity() {
  command -v age >/dev/null 2>&1 || die 'age is not installed (the backups are encrypted with it)'
  [[ -n ${BACKUP_AGE_IDENTITY_FILE:-} ]] ||
    die 'the backup is encrypted: set BACKUP_AGE_IDENTITY_FILE to the age identity (private key) file its recipients belong to'
  [[ -r $BACKUP_AGE_IDENTITY_FILE ]] ||
    die "BACKUP_AGE_IDENTITY_FILE $BACKUP_AGE_IDENTITY_FILE cannot be read"
}

# --- the off-cluster copy -------------------------------------------------------------------------
# BACKUP_REMOTE: an rclone remote and path (offsite:bucket/member-system) holding the same tree as
# $BACKUP_DIR. rclone reads its settings from RCLONE_CONFIG (a file) or RCLONE_CONFIG_<NAME>_*
# variables. Empty: backups stay on $BACKUP_DIR alone.
BACKUP_REMOTE=${BACKUP_REMOTE:-}
BACKUP_REMOTE=${BACKUP_REMOTE%/}
remote_on() { [[ -n $BACKUP_REMOTE ]]; }
remote_path() { echo "$BACKUP_REMOTE/$1"; }
# -q: errors only (rclone otherwise notes on every call that it has no config file).
rclone_() { rclone -q "$@"; }

# --- the two stores: $BACKUP_DIR ("local") and BACKUP_REMOTE ("remote"), the same tree ----------
# Entries of a directory, one name a line, sorted: dirs or files, hidden ones left out. A directory
# that does not exist (yet) has none.
store_list() {
  local store=$1 rel=$2 kind=$3 entry
  if [[ $store == local ]]; then
    for entry in "$BACKUP_DIR/$rel"/*; do
      if [[ $kind == dirs && -d $entry ]] || [[ $kind == files && -f $entry ]]; then
        basename "$entry"
      fi
    done
    return 0
  fi
  local listing code=0
  listing=$(rclone_ lsf "--$kind-only" "$(remote_path "$rel")" 2>&1) || code=$?
  # 3: directory not found.
  ((code == 0 || code == 3)) || die "cannot list $(remote_path "$rel"): $listing"
  ((code == 0)) || return 0
  printf '%s\n' "$listing" | sed -e 's#/$##' -e '/^\./d' -e '/^$/d' | LC_ALL=C sort
}
store_has_file() {
  if [[ $1 == local ]]; then [[ -f $BACKUP_DIR/$2 ]]; else [[ -n $(rclone_ lsf "$(remote_path "$2")" 2>/dev/null) ]]; fi
}
store_cat() {
  if [[ $1 == local ]]; then cat -- "$BACKUP_DIR/$2"; else rclone_ cat "$(remote_path "$2")"; fi
}
store_remove_dir() {
  if [[ $1 == local ]]; then rm -rf -- "${BACKUP_DIR:?}/$2"; else rclone_ purge "$(remote_path "$2")"; fi
}
store_remove_file() {
  if [[ $1 == local ]]; then rm -f -- "$BACKUP_DIR/$2"; else rclone_ deletefile "$(remote_path "$2")"; fi
}

# Full backups with a manifest (the complete ones), oldest first.
complete_full_backups() {
  local store=$1 name
  if [[ $store == remote ]]; then
    local listing code=0
    listing=$(rclone_ lsf -R --files-only --include "/*/$MANIFEST" "$(remote_path mysql/full)" 2>&1) || code=$?
    ((code == 0 || code == 3)) || die "cannot list $(remote_path mysql/full): $listing"
    ((code == 0)) || return 0
    printf '%s\n' "$listing" | sed -n "s#^\\([^/.][^/]*\\)/$MANIFEST\$#\\1#p" | LC_ALL=C sort
    return 0
  fi
  while IFS= read -r name; do
    [[ -n $name && -f $FULL_DIR/$name/$MANIFEST ]] && echo "$name"
  done < <(store_list local mysql/full dirs)
  return 0
}

# An archived binlog's name without the encryption suffix: binlog.000042(.age) -> binlog.000042.
binlog_name() {
  local name
  name=$(basename "$1")
  echo "${name%"$AGE_SUFFIX"}"
}
