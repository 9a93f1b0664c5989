#!/usr/bin/env bash
# Sums a test run from Surefire's XML reports (target/surefire-reports/TEST-*.xml): tests,
# failures, errors, skipped and flakes (failed, then passed on Surefire's rerun), then each skip
# reason with its count. Surefire reports a class disabled as a whole as each of its tests
# skipped, and a test rerun after a failure once, so these are counts of tests.
#
# Usage: scripts/test-report.sh [--dir DIR] [--no-skips] [--skips-only-for-missing-programs]
#                               [--same-tests-as DIR]
#   --dir DIR                           the reports to read (default target/surefire-reports)
#   --no-skips                          fail if any test was skipped (every program installed)
#   --skips-only-for-missing-programs   fail unless some tests were skipped and every skip names
#                                       a missing program (the run with the programs hidden)
#   --same-tests-as DIR                 fail unless the run counted as many tests as DIR's
# Exits non-zero when there are no reports, any test failed or erred, or a check above fails.
# Bash, grep, sed and awk only: CI runs it on a fresh Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=target/surefire-reports
no_skips=false
missing_programs_only=false
same_as=""
while [ $# -gt 0 ]; do
	case "$1" in
		--dir) dir=$2; shift 2 ;;
		--no-skips) no_skips=true; shift ;;
		--skips-only-for-missing-programs) missing_programs_only=true; shift ;;
		--same-tests-as) same_as=$2; shift 2 ;;
		*) echo "test-report: unknown argument $1" >&2; exit 2 ;;
	esac
done

# "tests failures errors skipped flakes" summed over one directory's reports
totals() {
	local reports=("$1"/TEST-*.xml)
	if [ ! -e "${reports[0]}" ]; then
		echo "test-report: no TEST-*.xml in $1" >&2
		return 1
	fi
	awk '
		function attribute(line, name) {
			if (match(line, " " name "=\"[0-9]+\"")) {
				return substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0
			}
			return 0
		}
		/<testsuite[ >]/ && !suite[FILENAME]++ {
			tests += attribute($0, "tests"); failures += attribute($0, "failures")
			errors += attribute($0, "errors"); skipped += attribute($0, "skipped")
		}
		/<flaky(Failure|Error)[ >]/ { flakes++ }
		END { print tests + 0, failures + 0, errors + 0, skipped + 0, flakes + 0 }
	' "${reports[@]}"
}

read -r tests failures errors skipped flakes < <(totals "$dir") || exit 1
echo "tests $tests, failures $failures, errors $errors, skipped $skipped, flakes $flakes ($dir)"

# one line per skip reason, with how many tests it skipped; a skip without a reason shows as such
reasons=$(grep -ho '<skipped[^>]*>' "$dir"/TEST-*.xml \
	| sed -e 's/.*message="\([^"]*\)".*/\1/' -e 's/^<skipped.*/(no reason given)/' \
		-e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' \
	| sort | uniq -c | sort -rn || true)
[ -n "$reasons" ] && echo "$reasons" | sed 's/^ */  skipped /'

status=0
if [ "$failures" -ne 0 ] || [ "$errors" -ne 0 ]; then
	echo "test-report: $failures failed and $errors erred" >&2
	status=1
fi
if $no_skips && [ "$skipped" -ne 0 ]; then
	echo "test-report: $skipped tests skipped where every program they drive should be installed" >&2
	status=1
fi
if $missing_programs_only; then
	if [ "$skipped" -eq 0 ]; then
		echo "test-report: no test skipped, yet the programs were meant to be hidden" >&2
		status=1
	fi
	others=$(echo "$reasons" | grep -v ' is not installed (Debian package ' | grep -v '^$' || true)
	if [ -n "$others" ]; then
		echo "test-report: skipped for another reason than a missing program:" >&2
		echo "$others" >&2
		status=1
	fi
fi
if [ -n "$same_as" ]; then
	read -r expected _ < <(totals "$same_as") || exit 1
	if [ "$tests" -ne "$expected" ]; then
		echo "test-report: $tests tests here, $expected in $same_as" >&2
		status=1
	fi
fi
exit $status
