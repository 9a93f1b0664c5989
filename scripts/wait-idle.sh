#!/usr/bin/env bash
# Sourced by the start-up measurements: wait_idle blocks (up to 5 minutes) until the machine's
# CPUs have been at least 90 % idle for 2 s, so that another process's build does not land in
# a measurement, and says so when it gives up.
wait_idle() {
	local tries a b c d i1 t1 i2 t2
	for tries in $(seq 1 150); do
		read -r _ a b c d _ < /proc/stat
		t1=$((a + b + c + d)); i1=$d
		sleep 2
		read -r _ a b c d _ < /proc/stat
		t2=$((a + b + c + d)); i2=$d
		[ $(( 100 * (i2 - i1) / (t2 - t1) )) -ge 90 ] && return 0
	done
	echo "(the machine did not become idle; measuring anyway)"
}
