#!/bin/sh
# Entrypoint of docker/tests.Dockerfile: default the suite's interpreter/JDK variables to what the
# image has, check that the source tree is mounted, then run the command (default: mvn -B verify).
set -eu
if [ ! -f /src/pom.xml ]; then
  echo "pyshm-tests: /src/pom.xml not found; mount the repository: -v \"\$PWD\":/src" >&2
  exit 2
fi
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
: "${PYSHM_PYTHONS:=$(command -v python3)}"
: "${PYSHM_JAVA_HOMES:=$JAVA_HOME}"
export PYSHM_PYTHONS PYSHM_JAVA_HOMES
echo "pyshm-tests: JAVA_HOME=$JAVA_HOME PYSHM_PYTHONS=$PYSHM_PYTHONS PYSHM_JAVA_HOMES=$PYSHM_JAVA_HOMES" >&2
exec "$@"
