#!/usr/bin/env bash
# Run-list queries at millions of rows: seeds a PostgreSQL database (migrated with the project's changelogs) with
# runs and prints EXPLAIN ANALYZE of the queries GET /runs serves. Not a test: absolute times depend on the machine.
#
#   bench/run-lists-at-scale.sh postgresql://user:password@127.0.0.1:5432/dbname [runs-per-workspace]
#
# The database is migrated with `mvn liquibase:update`; the seeded rows stay (use a scratch database).
set -euo pipefail
url="${1:?usage: $0 postgresql://user:password@127.0.0.1:5432/db [runs]}"
runs="${2:-1000000}"
cd "$(dirname "$0")/.."

jdbc="jdbc:postgresql://$(echo "$url" | sed -E 's#postgresql://([^:]+):([^@]+)@##')"
user="$(echo "$url" | sed -E 's#postgresql://([^:]+):.*#\1#')"
password="$(echo "$url" | sed -E 's#postgresql://[^:]+:([^@]+)@.*#\1#')"
mvn -q -B liquibase:update -Dliquibase.url="$jdbc" -Dliquibase.username="$user" -Dliquibase.password="$password"

psql "$url" -v ON_ERROR_STOP=1 -v runs="$runs" -f bench/run-lists-at-scale.sql
