#!/usr/bin/env bash
# Bindery benchmarks: builds in Release, measures the machine's ceilings, Bindery on SQLite, the rules engine and the
# scale runs, and writes bench/results/latest.json and latest.md. Takes under 10 minutes. Extra arguments go to the
# harness (e.g. --duration 5 --concurrency 32 --large-accounts 1000000 --load-budget 240 --skip-engine --engine).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Bindery.sln --configuration Release --nologo -v quiet
export BINDERY_BENCH_COMMAND="bench/run.sh $*"
exec dotnet bench/Bindery.Bench/bin/Release/net10.0/Bindery.Bench.dll "$@"
