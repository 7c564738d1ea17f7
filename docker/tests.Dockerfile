# Runs pyshm's whole test suite (`mvn -B verify`) inside a container.
#
# The base must provide a JDK (17+), Maven and python3 with pytest (the interop suite runs under it). The default is built offline by
#   docker/build-base-images.sh bookworm-jdk-maven     # Debian 12: OpenJDK 17, Maven 3.8, Python 3.11
# Elsewhere any such base can be passed, e.g. --build-arg BASE_IMAGE=maven:3-eclipse-temurin-21;
# a Debian/Ubuntu-based base that lacks one of java/mvn/python3 gets it from apt at build time
# (that needs network for the build; the default base needs none).
#
# Build (context = repository root; nothing of the tree is copied, so the context can be anything):
#   docker build --network none -f docker/tests.Dockerfile -t pyshm/tests .
#
# Run (the source tree and a Maven local repository are bind-mounted; the container has no network,
# so ~/.m2 must already hold every plugin and dependency: run `mvn -B verify` once on the host,
# or `mvn -B dependency:go-offline` plus one build, before):
#   docker run --rm --network none --shm-size=256m \
#     -v "$PWD":/src -v "$HOME/.m2":/root/.m2 pyshm/tests                 # = mvn -B verify
#   docker run ... pyshm/tests mvn -B -o verify -Dtest=SomeTest              # any other command
# A second JDK can be bind-mounted and named for the suite, for example Temurin 25:
#   -v /usr/lib/jvm/temurin-25-jdk-amd64:/opt/jdk25:ro -e PYSHM_JAVA_HOMES=/opt/jdk25
# (Temurin is self-contained; Debian's JDK 17 also needs -v /etc/java-17-openjdk:/etc/java-17-openjdk:ro
#  because its conf/ and lib/jvm.cfg are symlinks into /etc.)
# Notes:
#  * The container runs as root, as the permission tests need (`runuser -u nobody`); target/ files
#    written into the mounted tree are therefore root-owned.
#  * A private /dev/shm (default 64 MB; --shm-size raises it) isolates the tests' blocks from the
#    host's; use --ipc host instead to share the host's /dev/shm.
#  * PYSHM_PYTHONS / PYSHM_JAVA_HOMES (paths separated by : or spaces) default to the image's
#    python3 and JDK when not given
#    (see docker/tests-entrypoint.sh). Never give this container a network.
ARG BASE_IMAGE=pyshm/bookworm-jdk-maven:latest
FROM ${BASE_IMAGE}

ENV LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1

# Install only what the base lacks (no-op, and no network needed, for the default base).
RUN set -eu; missing=""; \
    command -v java    >/dev/null 2>&1 || missing="$missing openjdk-17-jdk-headless"; \
    command -v mvn     >/dev/null 2>&1 || missing="$missing maven"; \
    command -v python3 >/dev/null 2>&1 || missing="$missing python3"; \
    python3 -c 'import pytest' >/dev/null 2>&1 || missing="$missing python3-pytest"; \
    if [ -n "$missing" ]; then \
      echo "base lacks:$missing; installing with apt-get"; \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi; \
    command -v runuser >/dev/null 2>&1 || echo "warning: no runuser in the base; permission tests may skip"; \
    java -version 2>&1 | head -n 1; echo "mvn: $(command -v mvn)"; python3 -V

COPY docker/tests-entrypoint.sh /usr/local/bin/pyshm-tests-entrypoint
WORKDIR /src
ENTRYPOINT ["/bin/sh", "/usr/local/bin/pyshm-tests-entrypoint"]
CMD ["mvn", "-B", "verify"]
