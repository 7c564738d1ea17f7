# CPython peer image for pyshm's interop tests: a stdlib-only script that speaks to the Java side.
#
# Build context is the repository root. The base is a build arg, so the same file serves:
#   offline here (default; images from docker/build-base-images.sh, no registry needed):
#     docker build --network none -f docker/peer.Dockerfile -t pyshm/peer:3.14 .
#     docker build --network none -f docker/peer.Dockerfile \
#       --build-arg BASE_IMAGE=pyshm/bookworm-python:latest -t pyshm/peer:3.11 .
#   where a registry is reachable (e.g. GitHub Actions):
#     docker build -f docker/peer.Dockerfile --build-arg BASE_IMAGE=python:3.13-slim -t pyshm/peer:3.13 .
# Any base works that has a `python3` on PATH (Debian's python3 / sid's python3.14 via the
# /usr/local/bin/python3 link the base-image script adds / the official python:3.X images).
#
# Run it beside a host-created block (the block lives in the host's /dev/shm):
#   docker run --rm --network none --ipc host pyshm/peer:3.14 ARGS...
# Always --network none. With --ipc host the container shares the host's /dev/shm and a block's
# lifetime is the host's business; without it the container gets a private /dev/shm.
# Caveat (docker/NOTES-3.14.md): the peer runs as PID 1, so when it exits the container's
# resource-tracker process is killed before it can clean up: a default-track attach does NOT unlink
# the host's block at exit here, unlike on a host. Tests of that behaviour must make the peer wait
# for its tracker (multiprocessing.resource_tracker._resource_tracker._stop()) or run it under a
# shell that outlives it.
ARG BASE_IMAGE=pyshm/sid-python3.14:latest
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8

# Fail the build early if the base has no usable interpreter or no _posixshmem.
RUN python3 -c 'import sys, multiprocessing.shared_memory as m; print("peer base:", sys.version.split()[0])'

COPY python-tests/peer.py /opt/pyshm/peer.py

ENTRYPOINT ["python3", "/opt/pyshm/peer.py"]
