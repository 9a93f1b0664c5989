#!/usr/bin/env bash
# Measures time from process start to the first TwiML answer, and resident memory once up.
# Usage: scripts/startup-time.sh [runs] [-- java options]   (build first: ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
[ "${1:-}" = "--" ] && shift
jar=target/voice-bridge.jar
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q package -DskipTests first" >&2; exit 1; }
port=${PORT:-18080}
for run in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  PORT=$port java "$@" -jar "$jar" > /tmp/voice-bridge-startup.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/twilio/voice" -d CallSid=CAstartup; do
    kill -0 "$pid" 2>/dev/null || { echo "service exited; see /tmp/voice-bridge-startup.log" >&2; exit 1; }
    sleep 0.02
  done
  first=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 2
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  echo "run $run: first TwiML after ${first} ms, RSS ${rss} MB once idle"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
