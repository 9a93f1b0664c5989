#!/bin/bash
# The image's HEALTHCHECK. The Temurin JRE image has no curl, so this asks the readiness probe
# over bash's /dev/tcp. Readiness rather than liveness: a draining instance reports unhealthy.
set -u
exec 3<>"/dev/tcp/127.0.0.1/${PORT:-8080}" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
case "$status" in
	"HTTP/1."?" 200"*) exit 0 ;;
	*) exit 1 ;;
esac
