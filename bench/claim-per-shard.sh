#!/usr/bin/env bash
# The run claim per shard, simulated on one machine: the claim statement of this checkout (JpaRunQueue.CLAIM) drains
# the same backlog from one database holding every workspace and from SHARDS databases each holding the workspaces a
# hash of their id puts there (what a database distributed by workspace_id gives each node). A measurement for
# docs/operating/scaling.md, not a test (no PASS/FAIL).
#
#   bench/claim-per-shard.sh        (as root: starts the cluster main if it is down, recreates the databases)
#
# 1. Migrates flowline_shard0 with the project's changelogs (the WAR on Payara Micro, BENCH_PORT, started and
#    stopped again) and copies it to flowline_shard1..SHARDS (CREATE DATABASE ... TEMPLATE), all owned by the role
#    flowline_shard on the cluster main.
# 2. bench/lib/claim-per-shard.py: WORKSPACES workspaces with one workflow each, BACKLOG due runs (scenario even:
#    the same share each; skewed: one workspace half of them); for each layout (single: flowline_shard0 holds all;
#    round-robin: every claimer visits the shards in turn; groups: claimer c owns the shards s with s % CLAIMERS == c)
#    CLAIMERS threads claim LIMIT runs at a time and mark them SUCCEEDED until all are claimed (MAX_SECONDS at most),
#    then one claim alone (rolled back, 20 times: its backend CPU) with SCALING workflows with due runs (60 each) in
#    one database: what a shard's smaller share saves; then the cost of claims on an empty shard alone.
# Everything runs in one PostgreSQL on one machine: the shards share its cores, disk and buffers, so this shows what
# the claim statement costs and how a claimer's loop spreads over shards, not what separate servers would add up to.
# Wall times follow the machine's load; the database CPU per claim and per run (the backends' utime + stime from
# /proc, hence as root on the database's machine) does not.
# Settings (environment, defaults shown): SHARDS=4 WORKSPACES=128 BACKLOG=12000 CLAIMERS=2 LIMIT=8 MAX_SECONDS=60
#   SCENARIOS=even,skewed (empty: no drains) LAYOUTS=single,round-robin,groups SCALING=8,16,32,64,128 (empty: none)
#   BENCH_PORT=8781 MIGRATE=1 (0: reuse the databases of an earlier run, no Payara), and those of bench/lib/common.sh.
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/claim-per-shard}"
BENCH_PORT="${BENCH_PORT:-8781}"
BENCH_DB=flowline_shard0
BENCH_DB_USER="${BENCH_DB_USER:-flowline_shard}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_shard}"
source "$(dirname "$0")/lib/common.sh"

SHARDS="${SHARDS:-4}"
WORKSPACES="${WORKSPACES:-128}"
BACKLOG="${BACKLOG:-12000}"
CLAIMERS="${CLAIMERS:-2}"
LIMIT="${LIMIT:-8}"
MAX_SECONDS="${MAX_SECONDS:-60}"
SCENARIOS="${SCENARIOS-even,skewed}"
LAYOUTS="${LAYOUTS:-single,round-robin,groups}"
MIGRATE="${MIGRATE:-1}"
SCALING="${SCALING-8,16,32,64,128}"
PY=/usr/bin/python3 # Debian's, with python3-psycopg2

require_tools
"$PY" -c 'import psycopg2' 2>/dev/null || { log "installing python3-psycopg2"; apt-get install -y -q python3-psycopg2 >/dev/null; }
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap stop_server EXIT
dsn() { echo "host=127.0.0.1 port=$BENCH_PG_PORT dbname=$1 user=$BENCH_DB_USER password=$BENCH_DB_PASSWORD"; }
shard_args=()
if [[ "$MIGRATE" == 1 ]]; then
    fresh_database
    start_server
    wait_ready
    stop_server
    for k in $(seq "$SHARDS"); do
        admin_sql -c "DROP DATABASE IF EXISTS flowline_shard$k" 2>/dev/null
        admin_sql -c "CREATE DATABASE flowline_shard$k OWNER $BENCH_DB_USER TEMPLATE flowline_shard0"
    done
    log "flowline_shard0 migrated, copied to flowline_shard1..$SHARDS"
fi
for k in $(seq "$SHARDS"); do shard_args+=(--shard "$(dsn "flowline_shard$k")"); done
python3 "$BENCH_DIR/lib/claim-sql.py" claim <"$REPO_DIR/src/main/java/dev/flowline/runs/jpa/JpaRunQueue.java" \
    >"$BENCH_WORK/claim.sql"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$PY" "$BENCH_DIR/lib/claim-per-shard.py" --single "$(dsn flowline_shard0)" "${shard_args[@]}" \
    --claim-sql "$BENCH_WORK/claim.sql" --workspaces "$WORKSPACES" --backlog "$BACKLOG" --claimers "$CLAIMERS" \
    --limit "$LIMIT" --max-seconds "$MAX_SECONDS" --scenarios "$SCENARIOS" --layouts "$LAYOUTS" --scaling "$SCALING" \
    | tee "$BENCH_WORK/report.txt"
echo "load average: $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (2 cores shared with other work)"
echo "(runs/s, claims/s: runs claimed and claims that took runs per second until the last run was claimed; claim ms:"
echo " mean time of a claim that took runs; db cpu ms/claim, /run: CPU of the database backends over the drain (every"
echo " claim, empty ones included, and the success writes) per claim and per run claimed; missed: claims that found nothing on a database that gave runs later"
echo " (another claimer held the workflow rows); empty: claims on a drained database, and their mean ms; 1st p50/max:"
echo " seconds until a workspace's first run was claimed; quiet done: when the last run of every workspace but the"
echo " skewed one's was claimed; shards drained at: each shard's last claim that took runs)"
