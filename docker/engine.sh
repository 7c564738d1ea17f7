#!/usr/bin/env bash
# Start, stop or query a Docker engine for pyshm's container tests, without systemd.
#
# Usage (as root):
#   docker/engine.sh start    # install docker.io + debootstrap if missing, start dockerd, wait for it
#   docker/engine.sh stop     # stop the dockerd this script started (by its PID) and wait for it
#   docker/engine.sh status   # exit 0 when an engine answers, 3 when none does
#
# The engine has no network at all: --bridge=none --iptables=false --ip-forward=false
# --ip-masq=false. Containers are run with --network none anyway; shared memory needs no network.
#
# start is idempotent: when an engine already answers `docker info` (this script's or any other),
# it does nothing. stop only ever signals the PID recorded in the PID file by start, and only when
# that PID is still a dockerd; an engine this script did not start is left alone.
#
# Environment:
#   PYSHM_DOCKERD_STATE     PID file, log file and lock       (default /var/tmp/pyshm-dockerd)
#   PYSHM_DOCKERD_TIMEOUT   seconds to wait for `docker info`  (default 60)
#   PYSHM_DOCKERD_ARGS      extra dockerd arguments            (default none)
set -euo pipefail

STATE=${PYSHM_DOCKERD_STATE:-/var/tmp/pyshm-dockerd}
TIMEOUT=${PYSHM_DOCKERD_TIMEOUT:-60}
PIDFILE=$STATE/dockerd.pid
LOGFILE=$STATE/dockerd.log

log() { printf '[engine %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

answers() { timeout 10 docker info >/dev/null 2>&1; }

# The PID from the PID file if that process is still a dockerd, else nothing.
our_pid() {
  local pid
  [[ -s $PIDFILE ]] || return 0
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] && echo "$pid"
  return 0
}

install_missing() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$STATE/apt.log" 2>&1 \
    || { tail -n 20 "$STATE/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $STATE/apt.log)"; }
  command -v dockerd >/dev/null || die "dockerd still not found after installing docker.io"
}

start() {
  [[ $(id -u) == 0 ]] || die "must run as root (dockerd needs it)"
  mkdir -p "$STATE"
  exec 8>"$STATE/lock"
  flock -w 120 8 || die "another engine.sh holds $STATE/lock"
  install_missing
  if answers; then
    local pid; pid=$(our_pid)
    log "an engine already answers${pid:+ (ours, PID $pid)}; nothing to do"
    return 0
  fi
  local stale; stale=$(our_pid)
  [[ -z $stale ]] || die "dockerd PID $stale (from $PIDFILE) runs but does not answer; see $LOGFILE or stop it first"

  local t0=$SECONDS
  log "starting dockerd (log: $LOGFILE)"
  # setsid: the engine must not die with the shell (or Maven) that started it. 8>&-: nor hold
  # our lock for as long as it runs.
  local extra=()
  read -ra extra <<<"${PYSHM_DOCKERD_ARGS:-}"
  setsid dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    --pidfile "$STATE/dockerd.self.pid" "${extra[@]}" \
    >>"$LOGFILE" 2>&1 </dev/null 8>&- &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  while ! answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$LOGFILE" >&2
      rm -f "$PIDFILE"
      die "dockerd exited during startup (full log: $LOGFILE)"
    fi
    if (( SECONDS - t0 >= TIMEOUT )); then
      tail -n 20 "$LOGFILE" >&2
      kill "$pid" 2>/dev/null || true
      die "dockerd (PID $pid) did not answer \`docker info\` within ${TIMEOUT}s (full log: $LOGFILE)"
    fi
    sleep 0.5
  done
  log "dockerd PID $pid answers after $((SECONDS - t0))s ($(docker version -f 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null))"
}

stop() {
  mkdir -p "$STATE"
  exec 8>"$STATE/lock"
  flock -w 120 8 || die "another engine.sh holds $STATE/lock"
  local pid; pid=$(our_pid)
  if [[ -z $pid ]]; then
    rm -f "$PIDFILE"
    if answers; then
      log "no dockerd started by engine.sh runs; the engine that answers is not ours, left alone"
    else
      log "no engine runs; nothing to do"
    fi
    return 0
  fi
  local t0=$SECONDS
  # Containers the tests left behind (a killed test JVM; Ryuk is off): they carry this label.
  local left
  left=$(timeout 20 docker ps -aq --filter label=dev.pyshm.test 2>/dev/null || true)
  if [[ -n $left ]]; then
    log "removing $(wc -w <<<"$left") container(s) left by the tests (label dev.pyshm.test)"
    # shellcheck disable=SC2086
    timeout 60 docker rm -f $left >/dev/null 2>&1 || true
  fi
  log "stopping dockerd PID $pid"
  kill -TERM "$pid"
  # dockerd stops its containers (up to their stop timeout) and its containerd before it exits.
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= 45 )); then
      log "dockerd PID $pid still runs after 45s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  log "dockerd stopped after $((SECONDS - t0))s"
}

status() {
  local pid; pid=$(our_pid)
  if answers; then
    echo "running: $(docker version -f 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null)${pid:+, started by engine.sh (PID $pid)}"
    return 0
  fi
  echo "not running${pid:+ (dockerd PID $pid exists but does not answer; log: $LOGFILE)}"
  return 3
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
