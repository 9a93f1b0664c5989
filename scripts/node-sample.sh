#!/usr/bin/env bash
# Prepares Twilio's Node sample (github.com/twilio-samples/speech-assistant-openai-realtime-api-node)
# as the load test's comparison: copies index.js and package.json from a checkout of it into
# target/node-sample, points its OpenAI URL at $OPENAI_REALTIME_URL (the load test's fake) and
# installs its dependencies from npm. Nothing of the sample is committed here.
#
#   git clone https://github.com/twilio-samples/speech-assistant-openai-realtime-api-node /tmp/node-sample
#   scripts/node-sample.sh /tmp/node-sample
#   scripts/load-test.sh --calls 50,100 --node-sample target/node-sample
set -euo pipefail
cd "$(dirname "$0")/.."

checkout=${1:?usage: scripts/node-sample.sh CHECKOUT_OF_THE_SAMPLE}
[ -f "$checkout/index.js" ] || { echo "no index.js in $checkout" >&2; exit 1; }
command -v node > /dev/null || { echo "node is not installed" >&2; exit 1; }

rm -rf target/node-sample
mkdir -p target/node-sample
cp "$checkout/index.js" "$checkout/package.json" target/node-sample/
# The only change: the upstream URL. Everything else runs as published.
sed -i "s#new WebSocket('wss://api.openai.com/v1/realtime[^']*'#new WebSocket(process.env.OPENAI_REALTIME_URL#" \
	target/node-sample/index.js
grep -q 'new WebSocket(process.env.OPENAI_REALTIME_URL' target/node-sample/index.js \
	|| { echo "could not find the sample's OpenAI URL to replace" >&2; exit 1; }
(cd target/node-sample && npm install --no-audit --no-fund --silent)
echo "ready: target/node-sample ($(node --version))"
