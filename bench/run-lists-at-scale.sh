#!/usr/bin/env bash
# The run history at scale (migration 0039: workflow_runs and workflow_run_steps partitioned by time). On a scratch
# database of the machine's PostgreSQL 15, migrated with the project's changelogs:
#
#   bench/run-lists-at-scale.sh     (as root: starts cluster main if it is down, recreates the database)
#
# 1. The migration on a populated database (MIGRATION_RUNS legacy runs with one step each, random ids, seeded at
#    migration 0037): the time of changeset 0039 alone (the whole update, minus a no-op update's time).
#    MIGRATION_RUNS=0 skips it.
# 2. SMALL runs (one day), today's partition with 200 QUEUED due runs of workspace B for the claim, then timed with pgbench
#    (prepared statements, as the JDBC driver sends them; each BENCH_TX times): the newest page of a workspace, a
#    deep keyset page, a rare status, one workflow's time window, and the claim (JpaRunQueue.CLAIM, 8 runs, rolled
#    back so that every claim finds the same queue).
# 3. DAYS more days of RUNS_PER_DAY runs (daily partitions, one step per run), the same five timings: PASS when each
#    is within 1.5x of step 2's.
# 4. EXPLAIN of each at that size: PASS when no plan sorts or scans a whole partition of a seeded day.
# 5. Retention of a day: drop_run_partition (what RetentionPruning calls) on the oldest full day, while a client
#    lists pages in a loop: PASS when the drop takes under 1 s and no list page waited longer than 1 s.
# Settings (environment, defaults shown): SMALL=10000 DAYS=10 RUNS_PER_DAY=1000000 SEED_JOBS=2 (days seeded at once)
#   MIGRATION_RUNS=1000000
#   BENCH_TX=300 BENCH_DB=flowline_scale BENCH_DB_USER=flowline_scale BENCH_DB_PASSWORD=flowline_scale
#   BENCH_PG_CLUSTER=main BENCH_PG_PORT=5432 BENCH_WORK=/tmp/flowline-bench/run-lists-at-scale
# Needs: psql, pgbench, java, mvn (offline: the project's Liquibase from ~/.m2 runs the changelogs).
set -euo pipefail
BENCH_DB="${BENCH_DB:-flowline_scale}"
BENCH_DB_USER="${BENCH_DB_USER:-flowline_scale}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_scale}"
source "$(dirname "$0")/lib/common.sh"
SMALL="${SMALL:-10000}"
DAYS="${DAYS:-10}"
RUNS_PER_DAY="${RUNS_PER_DAY:-1000000}"
SEED_JOBS="${SEED_JOBS:-2}"
MIGRATION_RUNS="${MIGRATION_RUNS:-1000000}"
BENCH_TX="${BENCH_TX:-300}"
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/run-lists-at-scale}"
mkdir -p "$BENCH_WORK"
LOOP_PID=""
cleanup() {
    [[ -n "$LOOP_PID" ]] && kill "$LOOP_PID" 2>/dev/null || true
    rm -f "$REPO_DIR/liquibase/.pre-0039.xml"
}
trap cleanup EXIT
for tool in psql pgbench java mvn; do command -v "$tool" >/dev/null || die "$tool is needed"; done

url="postgresql://$BENCH_DB_USER:$BENCH_DB_PASSWORD@127.0.0.1:$BENCH_PG_PORT/$BENCH_DB"
export PGPASSWORD="$BENCH_DB_PASSWORD"
psql_file() { psql "$url" -v ON_ERROR_STOP=1 -qAt "$@"; }
(cd "$REPO_DIR" && mvn -o -q dependency:build-classpath -Dmdep.outputFile="$BENCH_WORK/cp.txt" >/dev/null)
picocli="$(ls ~/.m2/repository/info/picocli/picocli/*/picocli-*.jar | sort -V | tail -1)"
migrate() { # changelog
    (cd "$REPO_DIR" && java -cp "$(cat "$BENCH_WORK/cp.txt"):$picocli" liquibase.integration.commandline.LiquibaseCommandLine \
        --show-banner=false --log-level=WARNING --search-path=. --changelog-file="$1" \
        --url="jdbc:postgresql://127.0.0.1:$BENCH_PG_PORT/$BENCH_DB" --username="$BENCH_DB_USER" \
        --password="$BENCH_DB_PASSWORD" update >"$BENCH_WORK/liquibase.log" 2>&1) || { cat "$BENCH_WORK/liquibase.log"; die "migration failed"; }
}
failures=0
pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. the migration on a populated database
fresh_database
grep -v '0039-' "$REPO_DIR/liquibase/db.changelog-master.xml" >"$REPO_DIR/liquibase/.pre-0039.xml"
migrate liquibase/.pre-0039.xml
psql_file -f "$BENCH_DIR/lib/scale-seed-base.sql"
if (( MIGRATION_RUNS > 0 )); then
    log "seeding $MIGRATION_RUNS legacy runs"
    psql_file -v runs="$MIGRATION_RUNS" -f "$BENCH_DIR/lib/scale-seed-legacy.sql"
    psql_file -c "VACUUM ANALYZE workflow_runs" -c "VACUUM ANALYZE workflow_run_steps"
fi
t0=$(now); migrate liquibase/.pre-0039.xml; t1=$(now)   # a no-op update: the tool's own time
migrate liquibase/db.changelog-master.xml; t2=$(now)
noop=$(elapsed "$t0" "$t1"); whole=$(elapsed "$t1" "$t2")
migration=$(awk -v w="$whole" -v n="$noop" 'BEGIN { printf "%.1f", w - n }')
echo "migration 0039 on $MIGRATION_RUNS legacy runs (one step each): ${migration} s (update ${whole} s - no-op ${noop} s)"
if (( MIGRATION_RUNS > 0 )); then
    # the legacy rows leave the way retention would take them; the history below starts empty
    psql_file -c "TRUNCATE workflow_runs_legacy, workflow_run_steps_legacy"
fi

# --- the queries, as pgbench scripts (prepared: the driver's server-side statements after 5 uses)
A=00000000-0000-4000-8000-0000000000a1
F=00000000-0000-4000-8000-0000000000f1
# As JpaRunRepository.listRuns sends them: a lower time bound repeated on the id (partition pruning); a page without
# a lower bound first tries the day before its top, and is read again without it when that does not fill it.
PAGE="SELECT id, queued_at FROM workflow_runs WHERE workspace_id = '$A'"
ORDER="ORDER BY queued_at DESC, id DESC LIMIT 51"
RECENT="queued_at >= now() - interval '1 day' AND id >= run_id_floor(now() - interval '1 day')"
cat >"$BENCH_WORK/newest.sql" <<SQL
SELECT count(*) AS n FROM ($PAGE AND $RECENT $ORDER) p \gset
\if :n < 51
$PAGE $ORDER;
\endif
SQL
cat >"$BENCH_WORK/rare.sql" <<SQL
SELECT count(*) AS n FROM ($PAGE AND status IN ('FAILED') AND $RECENT $ORDER) p \gset
\if :n < 51
$PAGE AND status IN ('FAILED') $ORDER;
\endif
SQL
claim_sql() { # the claim of this checkout, ?1..?6 bound: now, owner, lease end, 8 runs, 3 takeovers, the floor
    python3 "$BENCH_DIR/lib/claim-sql.py" x "$1" <"$REPO_DIR/src/main/java/dev/flowline/runs/jpa/JpaRunQueue.java" \
        | sed '1d; $ s/;$//' | sed -e "s/\$1/now()/g; s/\$2/'bench'/g; s/\$3/(now() + interval '5 minutes')/g" \
              -e 's/\$4/8/g; s/\$5/3/g'
}
# The claim as JpaRunQueue sends it: with the floor RunQueueFloor keeps (run_queue_floor, read once per 10 s per
# instance; its own time is measured apart, as "floor")
claim_scripts() {
    local floor; floor=$(psql_file -c "SELECT run_queue_floor(interval '1 hour')")
    { echo "BEGIN;"; claim_sql "'$floor'::uuid" | tr '\n' ' '; echo ";"; echo "ROLLBACK;"; } >"$BENCH_WORK/claim.sql"
    echo "SELECT run_queue_floor(interval '1 hour');" >"$BENCH_WORK/floor.sql"
}
keyset_scripts() { # a deep page and a time window in the middle of day $1
    local mid; mid=$(psql_file -c "SELECT timestamptz '$1' + interval '12 hours'")
    cat >"$BENCH_WORK/deep.sql" <<SQL
SELECT count(*) AS n FROM ($PAGE AND queued_at >= timestamptz '$mid' - interval '1 day' AND id >= run_id_floor(timestamptz '$mid' - interval '1 day') AND queued_at <= '$mid' AND (queued_at < '$mid' OR (queued_at = '$mid' AND id < 'ffffffff-ffff-4fff-bfff-ffffffffffff')) $ORDER) p \gset
\if :n < 51
$PAGE AND queued_at <= '$mid' AND (queued_at < '$mid' OR (queued_at = '$mid' AND id < 'ffffffff-ffff-4fff-bfff-ffffffffffff')) $ORDER;
\endif
SQL
    cat >"$BENCH_WORK/window.sql" <<SQL
$PAGE AND workflow_id = '$F' AND queued_at >= '$mid' AND id >= run_id_floor('$mid') AND queued_at < timestamptz '$mid' + interval '1 hour' $ORDER;
SQL
}
QUERIES=(newest deep rare window claim floor)
declare -A small large
time_queries() { # into the array named $1
    local -n into="$1"
    for q in "${QUERIES[@]}"; do
        into[$q]=$(pgbench -n -M prepared -c 1 -t "$BENCH_TX" -f "$BENCH_WORK/$q.sql" -h 127.0.0.1 -p "$BENCH_PG_PORT" \
            -U "$BENCH_DB_USER" "$BENCH_DB" 2>/dev/null | awk '/latency average/ { print $4 }')
    done
}

# --- 2. SMALL runs in one day, and the queue the claim takes from (the current month's partition)
first_day=$(date -u -d "today - $((DAYS + 1)) days" +%F)
psql_file -c "SELECT create_run_partition(to_char(now(), '\"p\"YYYY_MM_DD'), date_trunc('day', now()), date_trunc('day', now()) + interval '1 day')" >/dev/null
psql_file -c "UPDATE workflows SET concurrency_limit = 100"
psql_file -c "INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger, queued_at, next_attempt_at)
              SELECT (substr(replace(run_id_floor(now())::text, '-', ''), 1, 20) || lpad(to_hex(i), 12, '0'))::uuid,
                     '00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000f2',
                     1, 'QUEUED', 'MANUAL', now() - interval '1 minute', now() - interval '1 minute'
              FROM generate_series(1, 200) i"
psql_file -v suffix="p$(date -u -d "$first_day" +%Y_%m_%d)" -v day="$first_day" -v runs="$SMALL" -f "$BENCH_DIR/lib/scale-seed-day.sql"
keyset_scripts "$first_day"
claim_scripts
time_queries small
log "at $SMALL runs: $(for q in "${QUERIES[@]}"; do printf '%s %s ms  ' "$q" "${small[$q]}"; done)"

# --- 3. DAYS days of RUNS_PER_DAY
seed_day() { # day
    local s; s=$(now)
    psql_file -v suffix="p$(date -u -d "$1" +%Y_%m_%d)" -v day="$1" -v runs="$RUNS_PER_DAY" \
        -f "$BENCH_DIR/lib/scale-seed-day.sql"
    log "day $1: $RUNS_PER_DAY runs seeded in $(elapsed "$s" "$(now)") s"
}
last_day="$first_day"
seeding=()
for ((d = 1; d <= DAYS; d++)); do
    last_day=$(date -u -d "$first_day + $d day" +%F)
    if ((${#seeding[@]} >= SEED_JOBS)); then wait "${seeding[0]}"; seeding=("${seeding[@]:1}"); fi
    seed_day "$last_day" &
    seeding+=($!)
done
for pid in "${seeding[@]}"; do wait "$pid"; done
total=$(psql_file -c "SELECT count(*) FROM workflow_runs")
keyset_scripts "$last_day"
claim_scripts
time_queries large
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %12s %12s %7s\n' query "$SMALL runs" "$total runs" ratio
for q in "${QUERIES[@]}"; do
    ratio=$(awk -v a="${small[$q]}" -v b="${large[$q]}" 'BEGIN { printf "%.2f", b / a }')
    printf '%-8s %9s ms %9s ms %7s\n' "$q" "${small[$q]}" "${large[$q]}" "$ratio"
    # the floor is read once per 10 s per instance, not per claim: one probe per period older than an hour
    [[ "$q" == floor ]] && continue
    pass "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5) ? 0 : 1 }')" \
        "$q at $total runs within 1.5x of $SMALL runs (${small[$q]} -> ${large[$q]} ms, ${ratio}x)"
done

# --- 4. the plans at that size
for q in newest deep rare window claim; do
    body=$(grep -v '^\\' "$BENCH_WORK/$q.sql" | sed -e 's/^BEGIN;//; s/^ROLLBACK;//; s/ \\gset$//' | awk 'NF' | tail -1 | sed 's/;[[:space:]]*$//')
    plan=$( { echo "BEGIN;"; echo "EXPLAIN (ANALYZE, COSTS OFF) $body;"; echo "ROLLBACK;"; } | psql_file )
    echo "$plan" >"$BENCH_WORK/plan-$q.txt"
    sorts='(-> +Sort |^Sort )|'; [[ "$q" == claim ]] && sorts=''   # the claim orders its few candidates by turn
    bad=$(grep -cE "${sorts}Seq Scan on workflow_runs_p20" "$BENCH_WORK/plan-$q.txt" || true)
    pass "$([[ "$bad" == 0 ]] && echo 0 || echo 1)" "$q: index scans only, no sort, no seq scan of a seeded partition (plan in $BENCH_WORK/plan-$q.txt)"
done

# --- 5. retention of a day, while a client lists pages
drop_day=$(date -u -d "$first_day + 1 day" +%F)   # the oldest full day
drop_suffix="p$(date -u -d "$drop_day" +%Y_%m_%d)"
day_runs=$(psql_file -c "SELECT count(*) FROM workflow_runs_$drop_suffix")
pgbench -n -M prepared -c 1 -T 8 -f "$BENCH_WORK/newest.sql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U "$BENCH_DB_USER" \
    -P 1 --progress-timestamp -l --log-prefix="$BENCH_WORK/loop" "$BENCH_DB" >"$BENCH_WORK/loop.out" 2>&1 &
LOOP_PID=$!
sleep 3
# Both calls in one session, as RetentionPruning makes them on a pooled connection (each its own transaction), timed
# by psql's \timing: what the database spends; the wall time around it adds psql's start and connection.
call="SELECT drop_run_partition('$drop_suffix', '$drop_day', timestamptz '$drop_day' + interval '1 day')"
s=$(now)
printf '\\timing on\n%s;\n%s;\n' "$call" "$call" | psql "$url" -v ON_ERROR_STOP=1 -qAt >"$BENCH_WORK/drop.txt" 2>&1 || true
wall_s=$(elapsed "$s" "$(now)")
outcome=$(grep -vE '^Time:' "$BENCH_WORK/drop.txt" | tail -1)     # detached, then dropped
detach_s=$(awk '/^Time:/ { n++; if (n == 1) printf "%.3f", $2 / 1000 }' "$BENCH_WORK/drop.txt")
drop_s=$(awk '/^Time:/ { t += $2 } END { printf "%.3f", t / 1000 }' "$BENCH_WORK/drop.txt")
wait "$LOOP_PID" || true; LOOP_PID=""
worst_ms=$(cat "$BENCH_WORK"/loop.[0-9]* 2>/dev/null | awk '{ if ($3 > m) m = $3 } END { printf "%.1f", m / 1000 }')
rm -f "$BENCH_WORK"/loop.[0-9]*
echo "drop of $drop_suffix ($day_runs runs and their steps): $outcome in ${drop_s} s in the database (the first call, checks, clearing and detach: ${detach_s} s; wall time with psql's start ${wall_s} s); slowest list page meanwhile ${worst_ms} ms"
pass "$([[ "$outcome" == dropped ]] && awk -v t="$drop_s" 'BEGIN { print (t < 1) ? 0 : 1 }' || echo 1)" \
    "retention drops a day of $day_runs runs in under 1 s (${drop_s} s)"
pass "$(awk -v t="$worst_ms" 'BEGIN { print (t < 1000) ? 0 : 1 }')" "no list page waited 1 s or more during the drop (${worst_ms} ms)"

# --- 6. where a drop's time goes: the next day's drop_run_partition, statement by statement (psql's \timing), the
# same statements in the same two transactions
detail_day=$(date -u -d "$drop_day + 1 day" +%F)
ds="p$(date -u -d "$detail_day" +%Y_%m_%d)"
psql "$url" -v ON_ERROR_STOP=1 -q >"$BENCH_WORK/drop-detail.txt" 2>&1 <<SQL || true
\timing on
\echo first transaction: the checks, the references cleared by id range, the lock, the detach
BEGIN;
\echo unfinished check
SELECT EXISTS (SELECT 1 FROM workflow_runs_$ds WHERE status = 'QUEUED') OR EXISTS (SELECT 1 FROM workflow_runs_$ds WHERE status = 'RUNNING');
\echo dead letters check
SELECT EXISTS (SELECT 1 FROM dead_letters WHERE run_id >= run_id_floor(timestamptz '$detail_day') AND run_id < run_id_floor(timestamptz '$detail_day' + interval '1 day'));
\echo run_resumes
DELETE FROM run_resumes WHERE run_id >= run_id_floor(timestamptz '$detail_day') AND run_id < run_id_floor(timestamptz '$detail_day' + interval '1 day');
\echo error_run_requests
DELETE FROM error_run_requests WHERE run_id >= run_id_floor(timestamptz '$detail_day') AND run_id < run_id_floor(timestamptz '$detail_day' + interval '1 day');
UPDATE error_run_requests SET error_run_id = NULL WHERE error_run_id >= run_id_floor(timestamptz '$detail_day') AND error_run_id < run_id_floor(timestamptz '$detail_day' + interval '1 day');
\echo webhook_deliveries
UPDATE webhook_deliveries SET run_id = NULL WHERE run_id >= run_id_floor(timestamptz '$detail_day') AND run_id < run_id_floor(timestamptz '$detail_day' + interval '1 day');
\echo children links
UPDATE workflow_runs SET parent_run_id = NULL, parent_node_id = NULL, parent_attempt = NULL, item_index = NULL WHERE parent_run_id >= run_id_floor(timestamptz '$detail_day') AND parent_run_id < run_id_floor(timestamptz '$detail_day' + interval '1 day') AND NOT (id >= run_id_floor(timestamptz '$detail_day') AND id < run_id_floor(timestamptz '$detail_day' + interval '1 day'));
SET LOCAL lock_timeout = '500ms';
\echo lock
LOCK TABLE workflow_runs, workflow_run_steps IN ACCESS EXCLUSIVE MODE;
\echo unfinished check again
SELECT EXISTS (SELECT 1 FROM workflow_runs_$ds WHERE status = 'QUEUED') OR EXISTS (SELECT 1 FROM workflow_runs_$ds WHERE status = 'RUNNING');
\echo detach steps
ALTER TABLE workflow_run_steps DETACH PARTITION workflow_run_steps_$ds;
\echo detach runs
ALTER TABLE workflow_runs DETACH PARTITION workflow_runs_$ds;
\echo commit
COMMIT;
\echo second transaction: the drop
BEGIN;
DROP TABLE workflow_run_steps_$ds, workflow_runs_$ds;
\echo commit
COMMIT;
SQL
echo "where a drop's time goes (day $detail_day, statement by statement):"
awk '/^[a-z]/ && !/^Time/ { label = $0 } /^Time:/ { printf "  %-32s %s %s\n", label, $2, $3 }' "$BENCH_WORK/drop-detail.txt"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $(( failures > 0 ))
