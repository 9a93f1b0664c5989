#!/usr/bin/env bash
# Load test: N concurrent calls made as Twilio makes them, against a voice-bridge started from
# target/voice-bridge.jar, through an in-process fake OpenAI Realtime server that echoes the
# caller's audio. Prints per-frame latency percentiles, losses, CPU, RSS and GC pauses, and
# writes a results CSV and an SVG chart to target/load/. Method and figures: docs/benchmarks.md.
#
#   scripts/load-test.sh --help
#   scripts/load-test.sh --calls 10,100,500,1000 --seconds 20 --runs 3
#   scripts/load-test.sh --calls 100 --node-sample target/node-sample   # with Twilio's Node sample
#
# Not part of the test run. Run it on a quiet machine: the generator shares its cores.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f target/voice-bridge.jar ] || [ -n "$(find src/main pom.xml -newer target/voice-bridge.jar -print -quit)" ]; then
	./mvnw -q -B -DskipTests package
fi
./mvnw -q -B -Pbench -DskipTests test-compile dependency:build-classpath \
	-Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xss512k -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
	dev.voicebridge.load.LoadGenerator "$@"
