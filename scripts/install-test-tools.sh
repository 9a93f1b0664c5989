#!/usr/bin/env bash
# Installs the real programs some tests drive: nginx and HAProxy (proxy tests), promtool (alert
# rule tests, from Debian's prometheus package), Chromium (the status page test) and redis-server
# (shared state across two instances). Without them those tests are skipped, each with one line
# naming the package; with VOICEBRIDGE_TEST_PROGRAMS=required (CI's first run) they fail instead.
# Debian or Ubuntu, as root (or with sudo).
set -euo pipefail
need=()
for tool in nginx haproxy promtool chromium redis-server; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || need+=("$tool")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "test tools present: nginx haproxy promtool chromium redis-server"
  exit 0
fi
echo "installing test tools (missing: ${need[*]})"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends nginx haproxy prometheus chromium redis-server >/dev/null
# the packages may start their system services; the tests start their own on free ports
for service in nginx haproxy prometheus redis-server; do
  $sudo service "$service" stop >/dev/null 2>&1 || true
done
echo "test tools installed"
