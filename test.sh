#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "tests: N passed, N failed, N skipped".
# With BINDERY_TEST_PG set (an Npgsql connection string of a role that may create databases; .ci/run sets it), the
# server tests run a second time on PostgreSQL, and the summary counts both passes.
set -uo pipefail
cd "$(dirname "$0")"
results="TestResults/run-$(date +%s)-$$"
BINDERY_TEST_PROVIDER=sqlite dotnet test Bindery.sln --configuration Release --logger "trx" --results-directory "$results/sqlite" "$@"
status=$?
if [ -n "${BINDERY_TEST_PG:-}" ]; then
  echo "PostgreSQL pass: the server tests again, each host on a database of its own (BINDERY_TEST_PG is set)"
  BINDERY_TEST_PROVIDER=postgres dotnet test tests/Bindery.Server.Tests --configuration Release --no-build \
    --logger "trx" --results-directory "$results/postgres" "$@"
  pg_status=$?
  [ "$status" -eq 0 ] && status=$pg_status
else
  echo "PostgreSQL pass skipped: BINDERY_TEST_PG is not set (see docs/operator-guide.md, \"Run on PostgreSQL\"; .ci/run sets it up)"
fi
# The shell blocks of README.md and docs/ run against a fresh demo (docs/check-walkthroughs.sh); each document counts as
# one test in the summary. BINDERY_SKIP_WALKTHROUGHS=1 reports them as one skipped test.
mkdir -p "$results"
if [ "${BINDERY_SKIP_WALKTHROUGHS:-}" = 1 ]; then
  echo "walkthroughs: 0 passed, 0 failed, 1 skipped" > "$results/walkthroughs.log"
  echo "Walkthrough check skipped: BINDERY_SKIP_WALKTHROUGHS=1"
else
  echo "Walkthrough check: every shell block of README.md and docs/ against a fresh demo (docs/check-walkthroughs.sh)"
  docs/check-walkthroughs.sh 2>&1 | tee "$results/walkthroughs.log"
  wt_status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] && status=$wt_status
fi
wt=$(grep '^walkthroughs: ' "$results/walkthroughs.log" | tail -1)
if [ -z "$wt" ]; then
  wt="walkthroughs: 0 passed, 1 failed, 0 skipped"; [ "$status" -eq 0 ] && status=1
fi
passed=$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<<"$wt"); failed=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$wt")
skipped=$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' <<<"$wt")
while IFS= read -r trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  # Skipped tests are in "total" but not in "executed" (the trx notExecuted counter stays 0 for them).
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done < <(find "$results" -name '*.trx' 2>/dev/null)
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
