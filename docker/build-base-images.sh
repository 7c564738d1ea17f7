#!/usr/bin/env bash
# Build pyshm's offline base images from Debian with debootstrap + `docker import`.
#
# No image registry is needed: each image is a debootstrap'd minbase root, tarred and imported.
# Only Debian package mirrors must be reachable (or a rootfs tarball must already be cached).
#
# Usage (as root, with a running Docker engine):
#   docker/build-base-images.sh                  # the two default images
#   docker/build-base-images.sh IMAGE...         # only these (short names, see the table below)
#   docker/build-base-images.sh --list           # print the known short names and exit
#
# Images (short name -> image, suite, packages):
#   bookworm-python     pyshm/bookworm-python:latest      bookworm  python3 (3.11)        [default]
#   sid-python3.14      pyshm/sid-python3.14:latest       sid       python3.14            [default]
#   bookworm-jdk-maven  pyshm/bookworm-jdk-maven:latest   bookworm  python3 python3-pytest openjdk-17-jdk-headless maven
#                       (opt-in: default base of docker/tests.Dockerfile)
#
# "Pod pattern" (Java side in a container): bind-mount a host JDK into pyshm/bookworm-python
# (glibc 2.36, as on the Debian 12 host), e.g.
#   docker run --rm --network none --ipc host \
#     -v /usr/lib/jvm/temurin-25-jdk-amd64:/opt/jdk:ro pyshm/bookworm-python /opt/jdk/bin/java -version
# Temurin is self-contained. Debian's JDK 17 also needs -v /etc/java-17-openjdk:/etc/java-17-openjdk:ro
# (its conf/ files and lib/jvm.cfg are symlinks into /etc; without it javac's launcher fails).
#
# An image that already exists is skipped (idempotent). Environment:
#   PYSHM_IMAGE_CACHE    lock file, logs and rootfs tarballs   (default /var/tmp/pyshm-images)
#   PYSHM_REBUILD=1      rebuild even if the image exists; ignores cached tarballs
#   PYSHM_KEEP_ROOTFS=0  do not keep <cache>/<short>.tar (kept by default: re-import takes seconds,
#                        and CI can cache the directory)
#   DEBOOTSTRAP_MIRROR   Debian mirror URL (default: debootstrap's own default; must be set on
#                        hosts whose debootstrap defaults to a non-Debian archive, e.g. Ubuntu)
#   DEBOOTSTRAP_KEYRING  keyring for the Debian archive
#                        (default /usr/share/keyrings/debian-archive-keyring.gpg)
#   PYSHM_LOCK_TIMEOUT   seconds to wait for another build holding the lock (default 1800)
set -euo pipefail

CACHE_DIR=${PYSHM_IMAGE_CACHE:-/var/tmp/pyshm-images}
REBUILD=${PYSHM_REBUILD:-0}
KEEP_ROOTFS=${PYSHM_KEEP_ROOTFS:-1}
MIRROR=${DEBOOTSTRAP_MIRROR:-}
KEYRING=${DEBOOTSTRAP_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
LOCK_TIMEOUT=${PYSHM_LOCK_TIMEOUT:-1800}

# short name | image | suite | comma-separated --include | CMD (JSON)
IMAGES=(
  'bookworm-python|pyshm/bookworm-python:latest|bookworm|python3|["python3"]'
  'sid-python3.14|pyshm/sid-python3.14:latest|sid|python3.14|["python3.14"]'
  'bookworm-jdk-maven|pyshm/bookworm-jdk-maven:latest|bookworm|python3,python3-pytest,openjdk-17-jdk-headless,maven|["bash"]'
)
DEFAULT_IMAGES=(bookworm-python sid-python3.14)

log() { printf '[build-base-images %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ ${1:-} == --list ]]; then
  for row in "${IMAGES[@]}"; do IFS='|' read -r s i su inc _ <<<"$row"; echo "$s $i $su $inc"; done
  exit 0
fi
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

# ---- preflight -----------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || die "must run as root (debootstrap needs it); try: sudo -E $0 $*"
command -v docker >/dev/null || die "docker client not found"
command -v flock >/dev/null || die "flock not found (util-linux)"
docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed); start dockerd first"

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${DEFAULT_IMAGES[@]}")
known=" $(for r in "${IMAGES[@]}"; do printf '%s ' "${r%%|*}"; done)"
for t in "${targets[@]}"; do
  [[ $known == *" $t "* ]] || die "unknown image '$t' (known:$known)"
done

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/lock"
if ! flock -n 9; then
  log "another build holds $CACHE_DIR/lock; waiting up to ${LOCK_TIMEOUT}s"
  flock -w "$LOCK_TIMEOUT" 9 || die "timed out waiting for $CACHE_DIR/lock"
fi

TMP_ROOTS=()
cleanup() {
  local r
  for r in "${TMP_ROOTS[@]}"; do
    [[ -n $r && -d $r ]] || continue
    # debootstrap may leave proc/sys mounted in the chroot if it was interrupted.
    for m in "$r/proc" "$r/sys" "$r/dev/pts"; do
      if mountpoint -q "$m" 2>/dev/null; then umount -l "$m" || true; fi
    done
    rm -rf --one-file-system "$r"
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

OLD_ID=""
drop_old_image() {
  local new_id
  new_id=$(docker image inspect -f '{{.Id}}' "$1")
  if [[ -n $OLD_ID && $OLD_ID != "$new_id" ]]; then
    if docker rmi "$OLD_ID" >/dev/null 2>&1; then
      log "$1: removed the previous image ${OLD_ID:7:12}"
    else
      log "$1: previous image ${OLD_ID:7:12} kept (still in use)"
    fi
  fi
  OLD_ID=""
}

# import_tar TARFILE_OR_- IMAGE SUITE INCLUDE CMD
import_tar() {
  local src=$1 image=$2 suite=$3 include=$4 cmd=$5
  docker import \
    --change "CMD $cmd" \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL org.opencontainers.image.title=$image" \
    --change "LABEL dev.pyshm.debootstrap.suite=$suite" \
    --change "LABEL dev.pyshm.debootstrap.include=$include" \
    --change "LABEL org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$src" "$image" >/dev/null
}

build_one() {
  local short=$1 row image suite include cmd found=""
  for row in "${IMAGES[@]}"; do
    IFS='|' read -r s image suite include cmd <<<"$row"
    if [[ $s == "$short" ]]; then found=1; break; fi
  done
  [[ -n $found ]] || die "unknown image '$short' (known: $(for r in "${IMAGES[@]}"; do printf '%s ' "${r%%|*}"; done))"

  local t0=$SECONDS tarball="$CACHE_DIR/$short.tar"
  if [[ $REBUILD != 1 ]] && image_exists "$image"; then
    log "$image exists, skipping (PYSHM_REBUILD=1 to rebuild)"
    return 0
  fi
  # On rebuild, the old image is removed once the new one holds the tag (if nothing uses it).
  OLD_ID=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)

  if [[ $REBUILD != 1 && -s $tarball ]]; then
    log "$image: importing cached rootfs $tarball"
    import_tar "$tarball" "$image" "$suite" "$include" "$cmd"
    drop_old_image "$image"
    log "$image: imported from cache in $((SECONDS - t0))s"
    return 0
  fi

  command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install -y debootstrap)"
  local args=(--variant=minbase --include="$include")
  if [[ -r $KEYRING ]]; then
    args+=(--keyring="$KEYRING")
  else
    die "Debian archive keyring $KEYRING not readable (install debian-archive-keyring or set DEBOOTSTRAP_KEYRING)"
  fi

  local root
  root=$(mktemp -d "$CACHE_DIR/rootfs-$short.XXXXXX")
  TMP_ROOTS+=("$root")
  local logf="$CACHE_DIR/debootstrap-$short.log"
  log "$image: debootstrap $suite (+$include) into $root (log: $logf)"
  # shellcheck disable=SC2086  # MIRROR is empty or a single URL
  if ! debootstrap "${args[@]}" "$suite" "$root" $MIRROR >"$logf" 2>&1; then
    tail -n 30 "$logf" >&2
    [[ -f $root/debootstrap/debootstrap.log ]] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
    die "$image: debootstrap failed (full log: $logf)"
  fi
  local t1=$SECONDS
  log "$image: debootstrap done in $((t1 - t0))s"

  # Trim what a container never needs.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
         "$root"/var/lib/apt/lists/*_Packages "$root"/var/log/*.log "$root"/debootstrap
  # `python3` must name the image's interpreter (peer.Dockerfile's entrypoint is `python3 ...`):
  # sid's python3.14 package installs no python3, so link the newest python3.N when it is missing.
  if [[ ! -e $root/usr/bin/python3 && ! -e $root/usr/local/bin/python3 ]]; then
    local newest f
    newest=$(for f in "$root"/usr/bin/python3.[0-9]*; do
               f=${f##*/}; [[ $f =~ ^python3\.[0-9]+$ ]] && echo "$f"
             done | sort -V | tail -n 1)
    [[ -n $newest ]] || die "$image: no python3.N interpreter in the new root"
    ln -s "/usr/bin/$newest" "$root/usr/local/bin/python3"
  fi
  # Sanity: python3 must run inside the root and import the module under test.
  local pyver
  pyver=$(chroot "$root" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin python3 -c \
    'import sys, multiprocessing.shared_memory; print(sys.version.split()[0])') \
    || die "$image: python3 does not run in the new root"
  log "$image: python3 is $pyver"

  if [[ $KEEP_ROOTFS == 1 ]]; then
    tar -C "$root" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      -cf "$tarball.part" .
    mv -f "$tarball.part" "$tarball"
    import_tar "$tarball" "$image" "$suite" "$include" "$cmd"
  else
    tar -C "$root" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . \
      | import_tar - "$image" "$suite" "$include" "$cmd"
  fi
  drop_old_image "$image"
  local t2=$SECONDS
  rm -rf --one-file-system "$root"
  log "$image: tar+import done in $((t2 - t1))s; total $((SECONDS - t0))s"
}

T0=$SECONDS
for t in "${targets[@]}"; do build_one "$t"; done
for t in "${targets[@]}"; do
  for row in "${IMAGES[@]}"; do
    [[ ${row%%|*} == "$t" ]] || continue
    IFS='|' read -r _ image _ _ _ <<<"$row"
    log "ready: $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
  done
done
log "all done in $((SECONDS - T0))s"
