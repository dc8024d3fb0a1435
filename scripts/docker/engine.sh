#!/usr/bin/env bash
# Runs a private Docker engine for tests on machines that have none:
# dockerd with no iptables and no default bridge, its data, exec root and socket under one state directory, so
# it never touches a system engine. Storage: overlay2 where the kernel can mount overlayfs on DIR's filesystem
# (much faster builds and teardown: vfs copies every layer in full), else vfs; force one with
# DOCKER_STORAGE_DRIVER=vfs|overlay2.
#
#   scripts/docker/engine.sh start DIR   start it (if not already running); prints DOCKER_HOST=unix://DIR/docker.sock
#   scripts/docker/engine.sh stop DIR    stop it by its pid and remove DIR
#   scripts/docker/engine.sh env DIR     print the export line for DOCKER_HOST
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|env DIR" >&2; exit 2; }
sock="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
log="$dir/dockerd.log"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

# Can overlayfs be mounted with its layers on DIR's filesystem?
overlay_works() {
  local probe="$dir/overlay-probe" ok=1
  mkdir -p "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged" || return 1
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    umount "$probe/merged" && ok=0
  fi
  rm -rf "$probe"
  return $ok
}

case "$cmd" in
  start)
    mkdir -p "$dir/data" "$dir/exec"
    if ! running; then
      driver="${DOCKER_STORAGE_DRIVER:-}"
      if [ -z "$driver" ]; then
        if overlay_works; then driver=overlay2; else driver=vfs; fi
      fi
      # setsid: the engine outlives neither its caller's intent nor its process group's signals by accident;
      # it is stopped explicitly by its pid.
      setsid dockerd \
        --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$pidfile" \
        --storage-driver "$driver" --iptables=false --ip6tables=false --bridge=none \
        -H "unix://$sock" >"$log" 2>&1 </dev/null &
      echo $! >"$dir/dockerd.launch-pid"
    fi
    for _ in $(seq 1 120); do
      if DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
        echo "DOCKER_HOST=unix://$sock"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/dockerd.launch-pid" 2>/dev/null || echo 0)" 2>/dev/null && ! running; then
        break
      fi
      sleep 0.5
    done
    echo "dockerd did not become ready; last lines of $log:" >&2
    tail -n 30 "$log" >&2 || true
    exit 1
    ;;
  stop)
    pid=""
    if [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); elif [ -f "$dir/dockerd.launch-pid" ]; then pid=$(cat "$dir/dockerd.launch-pid"); fi
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    # Its managed containerd and any shims left behind hold files under DIR: wait for them to exit.
    for _ in $(seq 1 20); do
      pgrep -f -- "$dir/exec" >/dev/null 2>&1 || break
      sleep 0.5
    done
    # Mounts (container rootfs, netns) left by a killed engine would make rm fail.
    if [ -d "$dir" ]; then
      grep -F " $dir/" /proc/self/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
      rm -rf "$dir"
    fi
    ;;
  env)
    echo "export DOCKER_HOST=unix://$sock"
    ;;
  *)
    echo "usage: $0 start|stop|env DIR" >&2
    exit 2
    ;;
esac
