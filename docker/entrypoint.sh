#!/bin/sh
# Starts voice-bridge from Spring Boot's extracted layout (voice-bridge.jar beside lib/) with the
# JDK AOT cache app.aot. It is the image's ENTRYPOINT; with --train it is the image build's
# training run that writes the cache. scripts/container-start.sh runs this same file on a local
# JDK 25 to prove the image's start path without a Docker engine.
#
# The cache records the class path as the training run saw it and is only valid on the JVM
# build that wrote it, so training and start share this file, its directory and its flags.
set -eu
cd "$(dirname "$0")"

# Sized for 256 to 512 MB containers; the JVM reads the container's memory limit.
# - SerialGC: the smallest collector footprint; one core or less is what these instances have.
# - MaxRAMPercentage=60: the rest, about 100 MB in a 256 MB container, is for what is not heap
#   (measured with NMT at idle: the AOT cache's classes, code cache, metaspace, thread stacks).
# - InitialRAMPercentage=15: starts the heap, and with it the young generation, at about 25 MB
#   of eden in a 512 MB container instead of 2.5 MB. From the JVM's default tiny start, every
#   20 ms of frames filled eden: young collections ran 20 a second at 100 calls, promoted the
#   frames' short-lived objects, and grew the old generation to its maximum and a 130 to 220 ms
#   full collection (docs/benchmarks.md, load).
# - Xss512k: a thread per upstream socket (OkHttp reads blocking); half the default stack.
# - ExitOnOutOfMemoryError: a JVM out of heap should restart rather than limp on with calls.
memory_flags="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=15 -Xss512k -XX:+ExitOnOutOfMemoryError"

if [ "${1:-}" = "--train" ]; then
	shift
	# Refresh the Spring context once, then exit: the classes it loaded and linked go into
	# app.aot when the JVM exits (JEP 483, 514). C1 only while training: with C2 method
	# profiles in the cache (JEP 515) the JVM compiles the profiled methods with C2 during
	# start-up, on the same one or two cores Spring starts on. Without them: about 40 % less
	# CPU to the first TwiML (docs/benchmarks.md). At run time both compilers work as usual.
	aot_flags="-XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -XX:TieredStopAtLevel=1"
else
	# A missing or stale cache only costs start-up time: the JVM warns and starts without it.
	aot_flags="-XX:AOTCache=app.aot"
fi

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# PORT is read by the application itself (server.port: ${PORT:8080}). JAVA_OPTS adds or
# overrides flags: later flags win. The flag lists are split into words on purpose.
# shellcheck disable=SC2086
exec "$java" $memory_flags $aot_flags ${JAVA_OPTS:-} -jar voice-bridge.jar "$@"
