#!/usr/bin/env bash
# Bindery benchmarks: builds in Release, measures the machine's ceilings, Bindery on SQLite (and on PostgreSQL when
# one is available), the rules engine and the scale runs, and writes bench/results/latest.json and latest.md.
# Takes under 10 minutes. Extra arguments go to the harness (e.g. --duration 5 --concurrency 32
# --large-accounts 1000000 --load-budget 240 --skip-engine --engine --profile check|invite).
# PostgreSQL: BINDERY_BENCH_PG is a connection string to a server where the bench may create and drop its own
# databases (bindery_bench_*); without it, the role that .ci/run sets up on 127.0.0.1:5432 is used if it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BINDERY_BENCH_PG:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  export BINDERY_BENCH_PG="Host=127.0.0.1;Port=5432;Username=bindery_test;Password=bindery_test;Database=postgres"
fi
dotnet build Bindery.sln --configuration Release --nologo -v quiet
export BINDERY_BENCH_COMMAND="bench/run.sh $*"
exec dotnet bench/Bindery.Bench/bin/Release/net10.0/Bindery.Bench.dll "$@"
