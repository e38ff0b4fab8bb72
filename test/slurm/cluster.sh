#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for Ablate's integration tests (test/slurm/*.test.ts).
#
#   bash test/slurm/cluster.sh start   starts munged (unless one runs), slurmctld and slurmd;
#                                      waits until the node is idle; prints the line
#                                      `export ABLATE_TEST_SLURM_CONF=...` the tests look for
#                                      (eval "$(bash test/slurm/cluster.sh start)")
#   bash test/slurm/cluster.sh stop    stops the daemons it started (by their pid files)
#   bash test/slurm/cluster.sh status  sinfo of the test cluster
#
# Needs Debian's slurm-wlm and munge, and root (or sudo) for the daemons. Everything lives under
# $ABLATE_SLURM_DIR (default /tmp/ablate-slurm): the filled-in slurm.conf, state, spool, pids, logs.
# The cluster listens on 127.0.0.1 on ports 16817/16818, so it does not clash with a real Slurm.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${ABLATE_SLURM_DIR:-/tmp/ablate-slurm}"
CONF="$STATE/etc/slurm.conf"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { echo "slurm test cluster: $*" >&2; }
fail() {
  log "$*"
  for f in slurmctld.log slurmd.log; do
    if [ -f "$STATE/$f" ]; then
      log "last lines of $STATE/$f:"
      tail -n 20 "$STATE/$f" >&2 || true
    fi
  done
  exit 1
}

# Up to $2 tenths of a second for the command $1 to succeed.
wait_for() {
  local i
  for ((i = 0; i < $2; i++)); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already runs"
    return
  fi
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    $SUDO sh -c 'umask 077; dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 2>/dev/null'
    $SUDO chown munge:munge /etc/munge/munge.key
    $SUDO chmod 400 /etc/munge/munge.key
  fi
  $SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
  $SUDO chown munge:munge /run/munge /var/log/munge /var/lib/munge
  $SUDO su -s /bin/sh munge -c /usr/sbin/munged || fail "munged did not start"
  wait_for "munge -n | unmunge | grep -q 'STATUS: *Success'" 100 || fail "munge -n | unmunge does not succeed"
  # Ours to stop: remember its pid.
  cp /run/munge/munged.pid "$STATE/munged.pid" 2>/dev/null || pgrep -u munge -n munged >"$STATE/munged.pid"
}

start() {
  for tool in munged slurmctld slurmd sbatch sinfo; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
      fail "$tool is not installed (Debian: apt-get install slurm-wlm munge)"
  done
  stop_daemons quiet
  $SUDO mkdir -p "$STATE/etc" "$STATE/ctld" "$STATE/slurmd"
  $SUDO chown -R "$(id -u):$(id -g)" "$STATE"
  local host cpus memory
  host="$(hostname -s)"
  cpus="$(nproc)"
  # RealMemory in MiB, a little under what the machine has (slurmd drains a node that has less).
  memory="$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)"
  sed -e "s|@HOST@|$host|g" -e "s|@STATE@|$STATE|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEMORY@|$memory|g" \
    -e "s|@CTLD_PORT@|16817|g" -e "s|@SLURMD_PORT@|16818|g" "$HERE/slurm.conf.in" >"$CONF"
  cp "$HERE/cgroup.conf" "$STATE/etc/cgroup.conf"
  start_munge
  export SLURM_CONF="$CONF"
  $SUDO /usr/sbin/slurmctld -f "$CONF" -i || fail "slurmctld did not start"
  wait_for "[ -s '$STATE/slurmctld.pid' ] && SLURM_CONF='$CONF' scontrol ping | grep -q UP" 300 || fail "slurmctld does not answer"
  $SUDO /usr/sbin/slurmd -f "$CONF" -N "$host" || fail "slurmd did not start"
  wait_for "SLURM_CONF='$CONF' sinfo -h -N -o %t | grep -qx 'idle'" 600 ||
    fail "the node did not become idle: $(SLURM_CONF="$CONF" sinfo -N 2>&1 || true)"
  log "up: $host with $cpus CPUs (sinfo: $(SLURM_CONF="$CONF" sinfo -h -o '%P %a %D %t'))"
  echo "export ABLATE_TEST_SLURM_CONF=$CONF"
}

# Kills the process named by pid file $1 (TERM, then KILL after 10 s) and removes the file, if
# that process is still the daemon $2: a pid file left by a machine restart may name a pid that
# now belongs to something else, which must not be signalled.
stop_pidfile() {
  local file="$1" name="$2" pid i
  [ -s "$file" ] || return 0
  pid="$(cat "$file")"
  # /proc, not kill -0: a non-root caller may not signal root's daemons, but sees them there.
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    $SUDO kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    if [ -d "/proc/$pid" ]; then $SUDO kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  $SUDO rm -f "$file"
}

stop_daemons() {
  stop_pidfile "$STATE/slurmd.pid" slurmd
  stop_pidfile "$STATE/slurmctld.pid" slurmctld
  stop_pidfile "$STATE/munged.pid" munged
  [ "${1:-}" = quiet ] || log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop_daemons ;;
  status) SLURM_CONF="$CONF" sinfo ;;
  *)
    echo "usage: bash test/slurm/cluster.sh start|stop|status" >&2
    exit 2
    ;;
esac
