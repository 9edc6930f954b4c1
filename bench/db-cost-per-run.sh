#!/usr/bin/env bash
# What one PostgreSQL pays per run: commits, rows written (per table) and WAL bytes, for the common shapes of
# workflow. A measurement, not a test (no PASS/FAIL): the figures feed docs/operating/scaling.md.
#
#   bench/db-cost-per-run.sh        (as root: starts the cluster main if it is down, recreates the database)
#
# Starts the WAR on Payara Micro (127.0.0.1:BENCH_PORT) against a fresh database BENCH_DB on the machine's PostgreSQL
# 15 (fsync on, as configured), signs up, and measures one window per case, each between two snapshots of the
# counters taken 11 s after the database went quiet (bench/lib/db-cost.py: pg_stat_database.xact_commit,
# pg_stat_user_tables n_tup_ins/upd/del, pg_current_wal_lsn() and the WAL records of this database read back with
# pg_waldump, since the cluster's WAL is shared with every other database on it; a physical replication slot,
# BENCH_DB_bench, keeps the segments from each window's start until they are read, and is dropped on exit):
#   idle          IDLE_SECONDS with nothing to do (the engine's and jobs' polls), subtracted pro rata from each case;
#   hook-paced    trigger.webhook -> data.set, PACED_RATE webhooks/s one at a time for PACED_SECONDS (no batching);
#   hook-burst    the same workflow, wrk at BURST_CONNECTIONS for BURST_SECONDS (claims and success writes batch);
#   http5-paced   trigger.webhook -> 5 x http.request (to bench/lib/slow-receiver.py on RECEIVER_PORT, RECEIVER_DELAY_MS)
#                 -> data.set, PACED_RATE webhooks/s for PACED_SECONDS;
#   schedule      SCHEDULES workflows trigger.schedule -> data.set on "* * * * *": one minute's firings (each schedule
#                 fires in its own transaction).
# Every case waits for its runs to finish and counts them from the database (all must be SUCCEEDED; the table says
# when not). Then, with Payara stopped, the commit ceiling of this disk: pg_test_fsync (FSYNC_SECONDS a test) on
# pg_wal's file system, and pgbench with COMMIT_CLIENTS clients committing one-row inserts for COMMIT_SECONDS each.
# Bounded: about 6 minutes plus Payara's start; everything it started or made is stopped or dropped on exit.
# Settings (environment, defaults shown): BENCH_PORT=8780 BENCH_DB=flowline_wal (role flowline_wal) RECEIVER_PORT=8790
#   IDLE_SECONDS=30 PACED_RATE=20 PACED_SECONDS=15 BURST_CONNECTIONS=8 BURST_SECONDS=10 RECEIVER_DELAY_MS=5
#   SCHEDULES=150 CONCURRENCY=100 DRAIN_TIMEOUT=180 COMMIT_CLIENTS="1 4 16" COMMIT_SECONDS=5 FSYNC_SECONDS=2
#   ENGINE_OPTS="", and those of bench/lib/common.sh.
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/db-cost}"
BENCH_PORT="${BENCH_PORT:-8780}"
BENCH_DB="${BENCH_DB:-flowline_wal}"
BENCH_DB_USER="${BENCH_DB_USER:-$BENCH_DB}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-$BENCH_DB}"
source "$(dirname "$0")/lib/common.sh"

RECEIVER_PORT="${RECEIVER_PORT:-8790}"
RECEIVER_DELAY_MS="${RECEIVER_DELAY_MS:-5}"
IDLE_SECONDS="${IDLE_SECONDS:-30}"
PACED_RATE="${PACED_RATE:-20}"
PACED_SECONDS="${PACED_SECONDS:-15}"
BURST_CONNECTIONS="${BURST_CONNECTIONS:-8}"
BURST_SECONDS="${BURST_SECONDS:-10}"
SCHEDULES="${SCHEDULES:-150}"
CONCURRENCY="${CONCURRENCY:-100}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
COMMIT_CLIENTS="${COMMIT_CLIENTS:-1 4 16}"
COMMIT_SECONDS="${COMMIT_SECONDS:-5}"
FSYNC_SECONDS="${FSYNC_SECONDS:-2}"
FSYNC_FILE=""
PY=/usr/bin/python3 # Debian's, with python3-psycopg2
WALDUMP=/usr/lib/postgresql/15/bin/pg_waldump

HOOK_DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],
  "edges":[{"from":"hook","to":"set"}]}'
call() { echo '{"id":"call'"$1"'","type":"http.request","params":{"url":"http://127.0.0.1:'"$RECEIVER_PORT"'/receive","method":"POST","body":{"n":"{{input.n}}"}}}'; }
HTTP5_DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},'"$(call 1),$(call 2),$(call 3),$(call 4),$(call 5)"',
  {"id":"set","type":"data.set","params":{"values":{"status":"{{nodes.call5.status}}"}}}],
  "edges":[{"from":"hook","to":"call1"},{"from":"call1","to":"call2"},{"from":"call2","to":"call3"},
           {"from":"call3","to":"call4"},{"from":"call4","to":"call5"},{"from":"call5","to":"set"}]}'
SCHEDULE_DEFINITION='{"nodes":[{"id":"tick","type":"trigger.schedule","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"ticked":true}}}],
  "edges":[{"from":"tick","to":"set"}]}'

RECEIVER_PID=""
SLOT="${BENCH_DB}_bench" # a physical replication slot that keeps the cluster's WAL from a window's start until it is read
cleanup() {
    stop_server
    [[ -n "$RECEIVER_PID" ]] && kill "$RECEIVER_PID" 2>/dev/null || true
    drop_slot
    admin_sql -d "$BENCH_DB" -c "DROP TABLE IF EXISTS bench_commit" >/dev/null 2>&1 || true
    rm -f "$FSYNC_FILE"
}
drop_slot() {
    admin_sql -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT'" \
        >/dev/null 2>&1 || true
}

# window_start NAME: holds the WAL from now (the slot) and takes snapshot NAME-a
window_start() {
    drop_slot
    admin_sql -c "SELECT pg_create_physical_replication_slot('$SLOT', true)" >/dev/null
    snap "$1-a"
}
# window_end NAME: snapshot NAME-b, this database's part of the window's WAL (pg_waldump), then lets the WAL go
window_end() {
    snap "$1-b"
    "$PY" "$BENCH_DIR/lib/db-cost.py" wal --pg-wal "$PG_WAL" --waldump "$WALDUMP" \
        "$BENCH_WORK/snap-$1-a.json" "$BENCH_WORK/snap-$1-b.json" --out "$BENCH_WORK/snap-$1-b.wal.json" \
        || log "$1: no WAL attribution"
    drop_slot
}
# snap NAME: the counters now (bench/lib/db-cost.py snapshot), in $BENCH_WORK/snap-NAME.json
snap() {
    "$PY" "$BENCH_DIR/lib/db-cost.py" snapshot --out "$BENCH_WORK/snap-$1.json" \
        --dsn "host=127.0.0.1 port=$BENCH_PG_PORT dbname=$BENCH_DB user=$BENCH_DB_USER password=$BENCH_DB_PASSWORD"
}
# runs_of WORKFLOW-IDS-SQL-LIST: "count statuses" of the runs of those workflows
runs_of() {
    sql -F ' ' -c "SELECT coalesce(sum(n), 0), coalesce(string_agg(status || ':' || n, ',' ORDER BY status), '-') FROM
                   (SELECT status, count(*) n FROM workflow_runs WHERE workflow_id IN ($1) GROUP BY status) s"
}
# paced WORKFLOW-LABEL: PACED_RATE signed webhooks a second, one connection, for PACED_SECONDS, to HOOK_PATH
paced() {
    "$PY" "$BENCH_DIR/lib/post-webhooks.py" --secret "$HOOK_SECRET" --url "$BASE$HOOK_PATH" \
        --rate "$PACED_RATE" --seconds "$PACED_SECONDS" --connections 1 --delivery-prefix "$1-$(date +%s)" \
        --out "$BENCH_WORK/$1.answers" >/dev/null
}

require_tools
command -v "$WALDUMP" >/dev/null || die "no $WALDUMP (postgresql-15)"
"$PY" -c 'import psycopg2' 2>/dev/null || { log "installing python3-psycopg2"; apt-get install -y -q python3-psycopg2 >/dev/null; }
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap cleanup EXIT
fresh_database
touch "$BENCH_WORK/received.txt"
python3 "$BENCH_DIR/lib/slow-receiver.py" --port "$RECEIVER_PORT" --delay-ms "$RECEIVER_DELAY_MS" \
    --log "$BENCH_WORK/received.txt" 2>"$BENCH_WORK/receiver.log" &
RECEIVER_PID=$!
# shellcheck disable=SC2086
start_server -Dflowline.engine.http.allowed-networks=127.0.0.1/32 ${ENGINE_OPTS:-}
wait_ready
sign_in
PG_WAL="$(admin_sql -c 'SHOW data_directory')/pg_wal"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
CASES=()

log "idle: $IDLE_SECONDS s"
settle_stats
window_start idle
sleep "$IDLE_SECONDS"
window_end idle

# case NAME WORKFLOW-IDS-SQL-LIST DRIVER...: snapshot, drive, wait for the runs, settle, snapshot; adds to CASES
case_window() {
    local name=$1 ids=$2 count statuses
    shift 2
    [[ -n "${NO_SETTLE_BEFORE:-}" ]] || settle_stats
    window_start "$name"
    "$@"
    local deadline=$((SECONDS + DRAIN_TIMEOUT))
    while [[ "$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id IN ($ids) AND status IN ('QUEUED', 'RUNNING')")" != 0 ]]; do
        ((SECONDS < deadline)) || { log "$name: runs still open after $DRAIN_TIMEOUT s"; break; }
        sleep 0.2
    done
    settle_stats
    window_end "$name"
    read -r count statuses <<<"$(runs_of "$ids")"
    log "$name: $count runs ($statuses)"
    CASES+=(--case "$name" "$count" "$BENCH_WORK/snap-$name-a.json" "$BENCH_WORK/snap-$name-b.json")
    echo "$name $count $statuses" >>"$BENCH_WORK/statuses.txt"
}

create_workflow "cost paced" "$HOOK_DEFINITION" "$CONCURRENCY"
log "hook-paced: $PACED_RATE webhooks/s for $PACED_SECONDS s"
case_window hook-paced "'$WORKFLOW_ID'" paced hook-paced

create_workflow "cost burst" "$HOOK_DEFINITION" "$CONCURRENCY"
sign_requests "$BENCH_WORK/burst.tsv" 20000 "burst-$(date +%s)"
log "hook-burst: wrk at $BURST_CONNECTIONS connections for $BURST_SECONDS s"
case_window hook-burst "'$WORKFLOW_ID'" \
    drive_webhooks "$BURST_CONNECTIONS" "$BURST_SECONDS" "$BENCH_WORK/burst.tsv" "$BENCH_WORK/burst-answers"

create_workflow "cost http5" "$HTTP5_DEFINITION" "$CONCURRENCY"
log "http5-paced: $PACED_RATE webhooks/s for $PACED_SECONDS s, 5 HTTP calls each"
case_window http5-paced "'$WORKFLOW_ID'" paced http5-paced

log "schedule: $SCHEDULES workflows on * * * * *"
: >"$BENCH_WORK/schedules.txt"
for i in $(seq "$SCHEDULES"); do
    id=$(api POST "/api/v1/workspaces/$WORKSPACE/workflows" \
        "{\"name\":\"cost schedule $i\",\"definition\":$SCHEDULE_DEFINITION}" | jq -r .id) || die "creating a workflow failed"
    api PUT "/api/v1/workspaces/$WORKSPACE/workflows/$id/schedule" '{"cron":"* * * * *"}' >/dev/null \
        || die "setting a schedule failed"
    echo "'$id'" >>"$BENCH_WORK/schedules.txt"
done
SCHEDULED=$(paste -sd, "$BENCH_WORK/schedules.txt")
# the first minute's firings land wherever the creation ended; measure the next minute's, from a snapshot taken
# shortly before it (a short window: less idle to subtract)
until [[ "$(runs_of "$SCHEDULED" | cut -d' ' -f1)" -ge "$SCHEDULES" ]]; do
    ((SECONDS < 600)) || die "the schedules did not fire"
    sleep 1
done
log "the first firings done ($(runs_of "$SCHEDULED")); waiting for the next minute"
settle_stats
sleep $(((60 - $(date +%-S) + 57) % 60))
fired_before=$(runs_of "$SCHEDULED" | cut -d' ' -f1)
# wait_firing: until the minute's firings are all queued (then case_window waits for them to finish)
wait_firing() {
    local deadline=$((SECONDS + 90))
    until [[ "$(runs_of "$SCHEDULED" | cut -d' ' -f1)" -ge $((fired_before + SCHEDULES)) ]]; do
        ((SECONDS < deadline)) || { log "not all schedules fired within 90 s"; break; }
        sleep 0.5
    done
}
NO_SETTLE_BEFORE=1 case_window schedule "$SCHEDULED" wait_firing
# the case counted every firing since the workflows were made: keep the measured minute's only
CASES[-3]=$((CASES[-3] - fired_before))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "== what one database pays per run (PostgreSQL 15 on this machine; load average $load_before before, $load_after after) =="
"$PY" "$BENCH_DIR/lib/db-cost.py" report --idle "$BENCH_WORK/snap-idle-a.json" "$BENCH_WORK/snap-idle-b.json" "${CASES[@]}"
echo
echo "runs by status: $(paste -sd';' "$BENCH_WORK/statuses.txt")"
echo "(commits, rows and WAL per run net of the idle server; rows = inserted + updated + deleted; WAL B: bytes of this"
echo " database's WAL records, FPI B the full-page images among them; cluster B: the whole cluster's WAL per run in the"
echo " window, other databases included; others: commits of the other databases in the window)"
report_server_log

# The ceiling of writing commits on this disk: pg_test_fsync on the file system of pg_wal, then PostgreSQL itself
# with 1, 4, 16 clients each committing one-row inserts (pgbench): group commit is the gain over 1 client.
stop_server
echo
echo "== the commit ceiling here (pg_wal on $(df --output=source "$PG_WAL" | tail -1), wal_sync_method $(admin_sql -c 'SHOW wal_sync_method'), synchronous_commit $(admin_sql -c 'SHOW synchronous_commit')) =="
FSYNC_FILE="$(dirname "$(dirname "$PG_WAL")")/flowline-fsync-test.tmp"
/usr/lib/postgresql/15/bin/pg_test_fsync -s "$FSYNC_SECONDS" -f "$FSYNC_FILE" 2>&1 \
    | sed -n '/one 8kB write/,/Non-sync/p' | grep -E 'ops/sec' | head -4 \
    | sed 's/^ */pg_test_fsync  /'
rm -f "$FSYNC_FILE"
sql -c "DROP TABLE IF EXISTS bench_commit; CREATE TABLE bench_commit (id bigserial PRIMARY KEY, v int)"
echo 'INSERT INTO bench_commit (v) VALUES (1);' >"$BENCH_WORK/commit.sql"
one=""
for clients in $COMMIT_CLIENTS; do
    tps=$(PGPASSWORD="$BENCH_DB_PASSWORD" /usr/lib/postgresql/15/bin/pgbench -n -h 127.0.0.1 -p "$BENCH_PG_PORT" \
            -U "$BENCH_DB_USER" -c "$clients" -j "$(( clients < 2 ? clients : 2 ))" -T "$COMMIT_SECONDS" \
            -f "$BENCH_WORK/commit.sql" "$BENCH_DB" 2>/dev/null | sed -nE 's/^tps = ([0-9.]+).*/\1/p')
    [[ -n "$one" ]] || one=$tps
    printf 'pgbench        %2d clients: %8.0f writing commits/s (x%.1f of 1 client)\n' "$clients" "$tps" \
        "$(awk -v a="$tps" -v b="$one" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
sql -c "DROP TABLE bench_commit"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
