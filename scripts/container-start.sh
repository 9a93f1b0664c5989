#!/usr/bin/env bash
# Proves the Docker image's start path without a Docker engine. Lays out target/voice-bridge.jar
# as the Dockerfile does (tools jarmode extract --layers, the layers copied into one directory in
# the Dockerfile's COPY order, docker/*.sh beside them), runs the same AOT training run and the
# same entrypoint on a Temurin 25 JDK, and checks that the first answer to the voice webhook is
# TwiML and that the image's HEALTHCHECK passes. Prints the time from process start to the first
# TwiML and the resident memory once idle.
#
# Usage: scripts/container-start.sh [--runs N] [--no-aot] [--wait-idle]
#   --runs N    start N times from the one trained layout (start-up measurements); default 1
#   --no-aot    start without the AOT cache (the plain extracted layout), for comparison
#   --wait-idle before each start, wait until the CPUs are idle (scripts/wait-idle.sh)
# Environment:
#   JAVA25_HOME       the JDK 25 to run (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   PORT              the port to listen on (default 28081)
#   CONTAINER_MEMORY  the memory limit the JVM sizes itself for, as it would read a container's
#                     limit (default 512m; "none" to size for the whole machine)
#   JAVA_OPTS         more JVM flags for the measured starts (not for the training run)
#   CI                when set, a missing JDK 25 fails instead of skipping
# Exits 0 after "container-start: N passed, 0 failed", 0 with a SKIPPED line when the JDK is
# missing outside CI, and non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1
aot=true
wait=false
while [ $# -gt 0 ]; do
	case "$1" in
		--runs) runs=$2; shift 2 ;;
		--no-aot) aot=false; shift ;;
		--wait-idle) wait=true; shift ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done

jdk=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
port=${PORT:-28081}
memory=${CONTAINER_MEMORY:-512m}
work=target/container
log="" # the log to show on failure, once there is one from this run

fail() {
	echo "container-start: FAILED: $*" >&2
	[ -n "$log" ] && [ -f "$log" ] && { echo "--- last lines of $log" >&2; tail -n 30 "$log" >&2; }
	echo "container-start: 0 passed, 1 failed"
	exit 1
}

if ! "$jdk/bin/java" -version 2>&1 | grep -q 'version "25'; then
	message="no Temurin 25 JDK at $jdk (set JAVA25_HOME to a JDK 25): the image's start path was not proven"
	if [ -n "${CI:-}" ]; then
		fail "$message"
	fi
	echo "container-start: SKIPPED: $message"
	exit 0
fi
export JAVA_HOME=$jdk
java=$jdk/bin/java

if [ ! -f target/voice-bridge.jar ]; then
	echo "container-start: building target/voice-bridge.jar as the image's build stage does"
	./mvnw -B -q package -DskipTests
fi
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
	fail "something already answers on port $port; set PORT to a free port"
fi

# The image's build, step for step: extract the layers, copy them in the Dockerfile's order,
# add the scripts, train. The layer order is read from the Dockerfile itself.
rm -rf "$work"
mkdir -p "$work/app"
"$java" -Djarmode=tools -jar target/voice-bridge.jar extract --layers --destination "$work/layers" > /dev/null
dockerfile_layers=$(sed -n 's|^COPY --from=build /layers/\([a-z-]*\)/ \./$|\1|p' Dockerfile)
jar_layers=$("$java" -Djarmode=tools -jar target/voice-bridge.jar list-layers)
[ "$dockerfile_layers" = "$jar_layers" ] \
	|| fail "the Dockerfile copies layers [$(echo $dockerfile_layers)] but the jar has [$(echo $jar_layers)]"
for layer in $dockerfile_layers; do
	cp -R "$work/layers/$layer/." "$work/app/"
done
cp docker/entrypoint.sh docker/healthcheck.sh "$work/app/"
chmod 755 "$work/app/entrypoint.sh" "$work/app/healthcheck.sh"

# Training runs as the image build does: no container memory limit, no JAVA_OPTS.
extra_java_opts=${JAVA_OPTS:-}
started=$(date +%s%N)
log=$work/train.log
JAVA_OPTS= "$work/app/entrypoint.sh" --train > "$log" 2>&1 || fail "the AOT training run failed"
[ -f "$work/app/app.aot" ] || fail "the training run wrote no app.aot"
echo "container-start: trained app.aot ($(( $(stat -c %s "$work/app/app.aot") / 1048576 )) MB) in $(( ($(date +%s%N) - started) / 1000000 )) ms"

# What the container adds at run time: the memory limit the JVM sizes itself from. With the
# cache, AOTMode=on makes a cache the JVM cannot use an error instead of a silent slow start.
java_opts=""
[ "$memory" != "none" ] && java_opts="-XX:MaxRAM=$memory"
if [ "$aot" = true ]; then
	java_opts="$java_opts -XX:AOTMode=on"
	layout="extracted layout + AOT cache"
else
	java_opts="$java_opts -XX:AOTMode=off"
	layout="extracted layout, no AOT cache"
fi
java_opts="$java_opts $extra_java_opts"
version=$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p')
log=$work/voice-bridge.log

. scripts/wait-idle.sh
for run in $(seq 1 "$runs"); do
	[ "$wait" = true ] && wait_idle
	load=$(cut -d' ' -f1 /proc/loadavg)
	started=$(date +%s%N)
	PORT=$port JAVA_OPTS=$java_opts "$work/app/entrypoint.sh" > "$log" 2>&1 &
	pid=$!
	twiml=""
	until twiml=$(curl -sf --max-time 5 -X POST "http://127.0.0.1:$port/twilio/voice" -d CallSid=CAcontainer); do
		kill -0 "$pid" 2> /dev/null || fail "the service exited before answering"
		if [ $(( ($(date +%s%N) - started) / 1000000000 )) -ge 60 ]; then
			kill "$pid"
			fail "no answer from /twilio/voice within 60 s"
		fi
		sleep 0.02
	done
	first=$(( ($(date +%s%N) - started) / 1000000 ))
	case "$twiml" in
		*"<Response><Connect "*"<Stream "*"url=\"ws://127.0.0.1:$port/twilio-media\""*) ;;
		*) kill "$pid"; fail "the answer is not the expected TwiML: $twiml" ;;
	esac
	# Tomcat can answer the first webhook a moment before readiness is published; Docker's
	# HEALTHCHECK has a start period and retries for that, so retry here too (up to 10 s)
	healthy=0
	for _ in $(seq 1 50); do
		if PORT=$port "$work/app/healthcheck.sh"; then healthy=1; break; fi
		sleep 0.2
	done
	[ "$healthy" -eq 1 ] || { kill "$pid"; fail "the image's HEALTHCHECK script did not pass within 10 s"; }
	sleep 2
	rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
	echo "run $run ($layout, JDK $version, memory $memory): first TwiML after ${first} ms, RSS ${rss} MB once idle (load ${load})"
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (graceful shutdown) and exited
	[ "$status" -eq 0 ] || [ "$status" -eq 143 ] || fail "the service exited with $status after SIGTERM"
done
echo "container-start: $runs passed, 0 failed"
