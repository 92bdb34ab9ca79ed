#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
results="TestResults/run-$(date +%s)-$$"
dotnet test Bindery.sln --configuration Release --logger "trx" --results-directory "$results" "$@"
status=$?
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${s:-0}))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
