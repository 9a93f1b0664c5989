#!/usr/bin/env bash
# Measures time from process start to the first TwiML answer, and resident memory once up.
# Usage: scripts/startup-time.sh [--layout jar|extracted|aot] [runs] [-- java options]
#   jar        java -jar target/voice-bridge.jar, with the java of JAVA_HOME or else of PATH (default)
#   extracted  the Docker image's extracted layout and entrypoint on JDK 25, without the AOT cache
#   aot        the same with the AOT cache trained as the image build does: the container path
# extracted and aot run scripts/container-start.sh (JAVA25_HOME, CONTAINER_MEMORY apply there).
# Build first: ./mvnw -q package -DskipTests. Each run waits for idle CPUs first and prints the
# load average: another process busy on the same cores makes every figure worse.
set -euo pipefail
cd "$(dirname "$0")/.."
layout=jar
if [ "${1:-}" = "--layout" ]; then
  layout=$2
  shift 2
fi
runs=${1:-3}
shift || true
[ "${1:-}" = "--" ] && shift
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
case "$layout" in
  jar) ;;
  extracted) JAVA_OPTS="$*" exec scripts/container-start.sh --runs "$runs" --wait-idle --no-aot ;;
  aot) JAVA_OPTS="$*" exec scripts/container-start.sh --runs "$runs" --wait-idle ;;
  *) echo "unknown layout $layout: use jar, extracted or aot" >&2; exit 2 ;;
esac
jar=target/voice-bridge.jar
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q package -DskipTests first" >&2; exit 1; }
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
port=${PORT:-18080}
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
  echo "something already answers on port $port; set PORT to a free port" >&2
  exit 1
fi
version=$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p')
. scripts/wait-idle.sh
for run in $(seq 1 "$runs"); do
  wait_idle
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s%N)
  PORT=$port "$java" "$@" -jar "$jar" > /tmp/voice-bridge-startup.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/twilio/voice" -d CallSid=CAstartup; do
    kill -0 "$pid" 2>/dev/null || { echo "service exited; see /tmp/voice-bridge-startup.log" >&2; exit 1; }
    sleep 0.02
  done
  first=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 2
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  echo "run $run (java -jar, JDK $version): first TwiML after ${first} ms, RSS ${rss} MB once idle (load ${load})"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
