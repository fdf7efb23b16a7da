#!/usr/bin/env bash
# Provision and start, idempotently, every server and tool the test suite needs.
# Safe to run again: packages are installed only when missing, servers started only when not answering.
# Usage: scripts/test-env.sh [--no-docker]   (as root on Debian 12)
# Prints the environment the tests read (BULKHEAD_TEST_PG_URL) to stdout as `export` lines at the end.
set -euo pipefail

log() { printf '[test-env] %s\n' "$*" >&2; }
# Only the final export line may reach stdout (the caller evals it): every tool's chatter goes to stderr
# (pg_ctlcluster, for one, prints "Removed stale pid file" on a machine restored from a snapshot).
exec 3>&1 1>&2

# Replaces the calling (sub)shell with a server that holds no descriptor of ours but stdin (/dev/null), stdout and
# stderr, in its own session: a daemon that inherited fd 3, or a pipe of whatever runs this script, would keep the
# caller waiting for EOF forever. Call it in a subshell: `(exec_detached CMD…)`.
exec_detached() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  exec setsid "$@" </dev/null
}

PACKAGES=(postgresql docker.io docker-registry skopeo busybox-static debootstrap golang-go auditd
  apache2-utils chromium procps iproute2 ca-certificates)
# TLS fixtures (Docker benchmark client certs, the insecure scenario's registry CA, the simulation's webhook)
PACKAGES+=(openssl)
# oracles and formats of the tests: rpm reads RPM databases, zstd compresses layers, bzip2 makes .bz2 feeds
PACKAGES+=(rpm zstd bzip2)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]} (log: /var/log/bulkhead-test-env-apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d keeps the package scripts from starting services we start ourselves below; apt writes to a log
  # file with fd 3 closed, so that nothing a package script leaves running holds the caller's pipes
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt_log=/var/log/bulkhead-test-env-apt.log
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$apt_log" 2>&1 3>&- </dev/null; then
    rm -f /usr/sbin/policy-rc.d
    tail -n 20 "$apt_log" >&2
    log "package installation failed; see $apt_log"
    exit 1
  fi
  rm -f /usr/sbin/policy-rc.d
fi

# --- PostgreSQL -------------------------------------------------------------------------------
PG_VER=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  log "creating PostgreSQL cluster $PG_VER/main"
  pg_createcluster "$PG_VER" main >/dev/null 3>&-
fi
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  log "starting PostgreSQL"
  (exec_detached pg_ctlcluster "$PG_VER" main start)
fi
for _ in $(seq 1 30); do su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 1; done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='bulkhead'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE bulkhead LOGIN SUPERUSER PASSWORD 'bulkhead'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='bulkhead_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O bulkhead bulkhead_test"

# --- Docker engine ----------------------------------------------------------------------------
if [ "${1:-}" != "--no-docker" ]; then
  if ! docker version >/dev/null 2>&1; then
    log "starting dockerd"
    mkdir -p /var/log
    (exec_detached dockerd --iptables=false >/var/log/dockerd.log 2>&1) &
    for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
    docker version >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/dockerd.log"; exit 1; }
  fi
fi

echo "export BULKHEAD_TEST_PG_URL=postgres://bulkhead:bulkhead@127.0.0.1:5432/bulkhead_test" >&3
