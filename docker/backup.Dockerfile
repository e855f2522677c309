# syntax=docker/dockerfile:1
# The backup image: `member-backup full|incremental|redis` and `member-restore` (backup/README.md)
# with the database and Redis clients they drive, age (encryption) and rclone (the off-cluster
# copy). From the repository root:
#   docker build -f docker/backup.Dockerfile -t member-system/backup .
# CLIENT picks the MySQL tools, which must match the server's flavour:
#   mariadb (default)  Debian's MariaDB 10.11 client: for MariaDB servers (local, CI)
#   mysql              MySQL 8.4's client from Oracle's APT repository: for MySQL 8 servers
#                      (MariaDB's tools are not made for MySQL 8's binary log events and
#                      authentication, and 8.4 dropped the SHOW MASTER STATUS mariadb-dump asks)
# Runs as uid 1000 and writes only under $BACKUP_DIR and /tmp, so a read-only root file system
# works.

ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE}
ARG CLIENT=mariadb
# The `command -v` checks fail the build, not the first backup, when a tool the scripts need is
# missing. Debian has a system user named backup already, hence member-backup.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends age ca-certificates gzip rclone redis-tools; \
    case "${CLIENT}" in \
      mariadb) apt-get install -y --no-install-recommends mariadb-client ;; \
      mysql) \
        apt-get install -y --no-install-recommends curl gnupg; \
        curl -fsSL https://repo.mysql.com/RPM-GPG-KEY-mysql-2023 \
          | gpg --dearmor -o /usr/share/keyrings/mysql.gpg; \
        echo 'deb [signed-by=/usr/share/keyrings/mysql.gpg] http://repo.mysql.com/apt/debian bookworm mysql-8.4-lts' \
          > /etc/apt/sources.list.d/mysql.list; \
        apt-get update; \
        apt-get install -y --no-install-recommends mysql-community-client; \
        apt-get purge -y --auto-remove curl gnupg ;; \
      *) echo "build with --build-arg CLIENT=<mariadb|mysql>, got '${CLIENT}'" >&2; exit 1 ;; \
    esac; \
    rm -rf /var/lib/apt/lists/*; \
    command -v redis-cli; \
    command -v age; \
    command -v rclone; \
    command -v mariadb || command -v mysql; \
    command -v mariadb-dump || command -v mysqldump; \
    command -v mariadb-binlog || command -v mysqlbinlog; \
    groupadd --gid 1000 member-backup; \
    useradd --uid 1000 --gid 1000 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin member-backup; \
    mkdir -p /backup; \
    chown 1000:1000 /backup

# Owned by root: the backup user cannot rewrite the scripts it runs.
COPY --chmod=0755 backup/bin/ /opt/member-backup/bin/
COPY --chmod=0644 backup/lib/ /opt/member-backup/lib/
ENV PATH=/opt/member-backup/bin:${PATH} \
    BACKUP_DIR=/backup \
    HOME=/tmp \
    TZ=UTC
USER 1000:1000
WORKDIR /tmp
# The CronJobs name the command (member-backup full, ...); without one the image prints its usage.
CMD ["member-backup"]
