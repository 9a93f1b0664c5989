#!/usr/bin/env bash
# Prepares Twilio's Node sample (github.com/twilio-samples/speech-assistant-openai-realtime-api-node)
# as the load test's comparison: copies index.js and package.json from a checkout of it into
# target/node-sample, points its OpenAI URL at $OPENAI_REALTIME_URL (the load test's fake) and
# installs its dependencies from npm. Nothing of the sample is committed here.
#
#   git clone https://github.com/twilio-samples/speech-assistant-openai-realtime-api-node /tmp/node-sample
#   git -C /tmp/node-sample checkout e0b6f632ec1e61dfbe15d2acbffdeb574d3b527f   # the one measured
#   scripts/node-sample.sh /tmp/node-sample
#   scripts/load-test.sh --calls 50,100 --node-sample target/node-sample
#
# The commit is read from the checkout with git; for a copy without .git (git archive), give it
# as the second argument. It is printed, and written to target/node-sample/COMMIT with the Node
# and dependency versions, since the sample has no lockfile and npm resolves its ranges today.
set -euo pipefail
cd "$(dirname "$0")/.."

# The sample's commit docs/benchmarks.md measured (2 September 2025, the GA Realtime interface)
measured=e0b6f632ec1e61dfbe15d2acbffdeb574d3b527f

checkout=${1:?usage: scripts/node-sample.sh CHECKOUT_OF_THE_SAMPLE [COMMIT]}
[ -f "$checkout/index.js" ] || { echo "no index.js in $checkout" >&2; exit 1; }
command -v node > /dev/null || { echo "node is not installed" >&2; exit 1; }

commit=${2:-}
if [ -z "$commit" ]; then
	commit=$(git -C "$checkout" rev-parse HEAD 2> /dev/null) \
		|| { echo "$checkout is not a git checkout: give the sample's commit as the second argument" >&2; exit 1; }
	[ -z "$(git -C "$checkout" status --porcelain -- index.js package.json)" ] \
		|| { echo "index.js or package.json in $checkout differ from commit $commit" >&2; exit 1; }
fi
if [ "$commit" != "$measured" ]; then
	echo "note: commit $commit is not the one docs/benchmarks.md measured ($measured)" >&2
fi

rm -rf target/node-sample
mkdir -p target/node-sample
cp "$checkout/index.js" "$checkout/package.json" target/node-sample/
# The only change: the upstream URL, a template literal with the model and temperature in the
# sample since its GA update (a quoted string before). Everything else runs as published.
url="new WebSocket([\`']wss://api\.openai\.com/v1/realtime[^\`']*[\`']"
found=$(grep -c "$url" target/node-sample/index.js || true)
[ "$found" -eq 1 ] || {
	echo "expected one new WebSocket('wss://api.openai.com/v1/realtime...') in index.js, found $found:" >&2
	grep -n "new WebSocket" target/node-sample/index.js >&2 || true
	exit 1
}
sed -i "s#$url#new WebSocket(process.env.OPENAI_REALTIME_URL#" target/node-sample/index.js
grep -q 'new WebSocket(process.env.OPENAI_REALTIME_URL' target/node-sample/index.js \
	|| { echo "could not point the sample's OpenAI URL at OPENAI_REALTIME_URL" >&2; exit 1; }
if grep -q "'response.output_audio.delta'" target/node-sample/index.js; then
	delta=response.output_audio.delta
elif grep -q "'response.audio.delta'" target/node-sample/index.js; then
	delta=response.audio.delta
else
	echo "index.js reads neither response.output_audio.delta nor response.audio.delta" >&2
	exit 1
fi

(cd target/node-sample && npm install --no-audit --no-fund --silent)
versions=$(cd target/node-sample && node -e '
	let first = true;
	for (const name of Object.keys(require("./package.json").dependencies)) {
		process.stdout.write((first ? "" : " ") + name + "@" + require("./node_modules/" + name + "/package.json").version); first = false;
	}')
{
	echo "commit $commit"
	echo "node $(node --version)"
	echo "dependencies $versions"
	echo "audio event $delta"
} > target/node-sample/COMMIT
echo "ready: target/node-sample, sample commit $commit, $(node --version), $versions"
if [ "$delta" != response.output_audio.delta ]; then
	echo "this sample reads the beta $delta: run the load test with --delta-type $delta" >&2
fi
