#!/usr/bin/env bash
# A long soak: SOAK_MINUTES of mixed load at about half the machine's measured capacity, sampling the server every
# minute, then checking that nothing grows (heap after a full GC, threads, pooled connections, open files, tables),
# that p99 latencies stay stable, and that every accepted run ended exactly once as SUCCEEDED.
#
#   bench/soak.sh                         (as root: starts the machine's PostgreSQL 15, recreates the database)
#   SOAK_MINUTES=3 SAMPLE_SECONDS=15 bench/soak.sh       (a quick check of the script itself)
#
# 1. Payara Micro with the WAR on a fresh database, short retention: flowline.plans.workspace.run-retention-days=0
#    and flowline.webhooks.delivery-retention-days=0 (the shortest the settings allow: whole days) with
#    flowline.retention.interval-minutes=1, so every finished run is deleted by the next minute's tick. So that the
#    runs can still be accounted for, the script adds AFTER DELETE triggers to the soak database (not to the product)
#    that copy each pruned run's id and status to soak_pruned_runs and count (run, node) pairs pruned with two
#    SUCCEEDED steps in soak_twice.
# 2. The capacity: without SOAK_RATE, a 10 s warm-up burst then a CAPACITY_SECONDS burst of signed webhooks (wrk,
#    CAPACITY_CONNECTIONS) to a `trigger.webhook -> data.set` workflow, counted as runs that finished during the
#    second burst per second (as bench/webhook-runs.sh does); the soak's rate is SOAK_LOAD_FRACTION of it.
# 3. The load (bench/lib/soak-load.py, open model: sent at fixed times) at SOAK_RATE runs/s: 70% signed webhooks to
#    `trigger.webhook -> data.set`, 20% signed webhooks to `trigger.webhook -> http.request -> data.set`, 10% manual
#    runs of `trigger.manual -> flow.delay (DELAY_SECONDS) -> http.request -> data.set`, plus SCHEDULES workflows
#    `trigger.schedule -> http.request -> data.set` on cron `* * * * *`, and READ_RATE/s each of the run list, a
#    recent run's steps and /api/v1/me. The HTTP steps POST to bench/lib/slow-receiver.py (RECEIVER_PORT, answers
#    after RECEIVER_DELAY_MS and logs each Idempotency-Key).
# 4. Every SAMPLE_SECONDS while the load runs (it runs 15 s past the last sample) a row of $BENCH_WORK/samples.csv: heap used after a full GC (jcmd GC.run, GC.heap_info),
#    live threads (/proc), the database's connections (pg_stat_activity), open files (/proc/<pid>/fd), rows and
#    sizes of workflow_runs, workflow_run_steps and webhook_deliveries and of all the application's tables, open runs,
#    runs pruned so far, and p50/p99 of the webhook and run-list answers in that interval.
# 5. After the load: the queue drains, then PASS/FAIL lines: each series flat (slope per hour within its tolerance,
#    bench/lib/soak-report.py), p99 of the last third within P99_RATIO of the first, every run accounted for,
#    retention pruning.
# Settings (environment, defaults shown): SOAK_MINUTES=30 SOAK_RATE=(measured) SOAK_LOAD_FRACTION=0.5
#   SAMPLE_SECONDS=60 WARMUP_MINUTES=(a tenth of the soak, at least 1) READ_RATE=(a tenth of the rate, at least 1)
#   P99_RATIO=2 CAPACITY_SECONDS=15 CAPACITY_CONNECTIONS=16 SCHEDULES=3 DELAY_SECONDS=2 RECEIVER_PORT=8490
#   RECEIVER_DELAY_MS=20 RETENTION_DAYS=0 SOAK_HEAP=1g DRAIN_TIMEOUT=180 ENGINE_OPTS="" BENCH_PORT=8480
#   BENCH_DB=flowline_soak BENCH_DB_USER=flowline_soak BENCH_WORK=/tmp/flowline-bench/soak, and those of
#   bench/lib/common.sh (FLOWLINE_WAR, MICRO_JAR, ...).
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/soak}"
BENCH_PORT="${BENCH_PORT:-8480}"
BENCH_DB="${BENCH_DB:-flowline_soak}"
BENCH_DB_USER="${BENCH_DB_USER:-flowline_soak}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_soak}"
source "$(dirname "$0")/lib/common.sh"

SOAK_MINUTES="${SOAK_MINUTES:-30}"
SOAK_RATE="${SOAK_RATE:-}"
SOAK_LOAD_FRACTION="${SOAK_LOAD_FRACTION:-0.5}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-60}"
WARMUP_MINUTES="${WARMUP_MINUTES:-$(awk -v m="$SOAK_MINUTES" 'BEGIN { w = m / 10; print (w < 1 ? 1 : w) }')}"
P99_RATIO="${P99_RATIO:-2}"
CAPACITY_SECONDS="${CAPACITY_SECONDS:-15}"
CAPACITY_CONNECTIONS="${CAPACITY_CONNECTIONS:-16}"
SCHEDULES="${SCHEDULES:-3}"
DELAY_SECONDS="${DELAY_SECONDS:-2}"
RECEIVER_PORT="${RECEIVER_PORT:-8490}"
RECEIVER_DELAY_MS="${RECEIVER_DELAY_MS:-20}"
RETENTION_DAYS="${RETENTION_DAYS:-0}"
SOAK_HEAP="${SOAK_HEAP:-1g}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"
RECEIVER_URL="http://127.0.0.1:$RECEIVER_PORT/receive"
PLAIN='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],
  "edges":[{"from":"hook","to":"set"}]}'
HTTP='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"call","type":"http.request","params":{"url":"'"$RECEIVER_URL"'","method":"POST","body":{"n":"{{input.n}}"}}},
  {"id":"set","type":"data.set","params":{"values":{"status":"{{nodes.call.status}}"}}}],
  "edges":[{"from":"hook","to":"call"},{"from":"call","to":"set"}]}'
DELAYED='{"nodes":[{"id":"start","type":"trigger.manual","params":{}},
  {"id":"wait","type":"flow.delay","params":{"seconds":'"$DELAY_SECONDS"'}},
  {"id":"call","type":"http.request","params":{"url":"'"$RECEIVER_URL"'","method":"POST","body":{"manual":true}}},
  {"id":"set","type":"data.set","params":{"values":{"status":"{{nodes.call.status}}"}}}],
  "edges":[{"from":"start","to":"wait"},{"from":"wait","to":"call"},{"from":"call","to":"set"}]}'
SCHEDULED='{"nodes":[{"id":"tick","type":"trigger.schedule","params":{}},
  {"id":"call","type":"http.request","params":{"url":"'"$RECEIVER_URL"'","method":"POST","body":{"scheduled":true}}},
  {"id":"set","type":"data.set","params":{"values":{"status":"{{nodes.call.status}}"}}}],
  "edges":[{"from":"tick","to":"call"},{"from":"call","to":"set"}]}'
ENGINE=(-Xmx"$SOAK_HEAP" -Dflowline.engine.http.allowed-networks=127.0.0.1/32
    -Dflowline.plans.workspace.run-retention-days="$RETENTION_DAYS" -Dflowline.plans.solo.run-retention-days="$RETENTION_DAYS"
    -Dflowline.webhooks.delivery-retention-days="$RETENTION_DAYS" -Dflowline.retention.interval-minutes=1)

RECEIVER_PID=""
LOAD_PID=""
cleanup() {
    [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
    stop_server
    [[ -n "$RECEIVER_PID" ]] && kill "$RECEIVER_PID" 2>/dev/null || true
}

# Bench-only bookkeeping in the soak database: what retention deletes is remembered, so that every run can still be
# accounted for at the end (one statement-level trigger per table, on the rows the statement deleted).
audit_pruning() {
    sql <<'SQL'
CREATE TABLE soak_pruned_runs (id uuid, workflow_id uuid, status text, attempt int);
CREATE TABLE soak_twice (run_id uuid, node_id text, n bigint);
CREATE FUNCTION soak_keep_runs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO soak_pruned_runs SELECT id, workflow_id, status, attempt FROM gone;
    RETURN NULL;
END $$;
CREATE FUNCTION soak_keep_twice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO soak_twice SELECT run_id, node_id, count(*) FROM gone WHERE status = 'SUCCEEDED'
        GROUP BY run_id, node_id HAVING count(*) > 1;
    RETURN NULL;
END $$;
CREATE TRIGGER soak_keep_runs AFTER DELETE ON workflow_runs REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION soak_keep_runs();
CREATE TRIGGER soak_keep_twice AFTER DELETE ON workflow_run_steps REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION soak_keep_twice();
SQL
}

CSV_HEADER="epoch,minute,heap_after_gc_mb,heap_committed_mb,threads,db_connections,db_active,open_fds,rss_mb,open_runs,runs_rows,steps_rows,deliveries_rows,runs_mb,steps_mb,deliveries_mb,app_tables_mb,pruned_runs,hook_p50_ms,hook_p99_ms,list_p50_ms,list_p99_ms,requests"
# sample FROM-EPOCH: one CSV row (the latencies of the requests sent since FROM-EPOCH)
sample() {
    local from=$1 heap used committed threads fds rss conns tables latency t
    jcmd "$SERVER_PID" GC.run >/dev/null 2>&1 || true
    heap=$(jcmd "$SERVER_PID" GC.heap_info 2>/dev/null | grep -m1 -E 'total [0-9]+K, used [0-9]+K' || true)
    used=$(sed -nE 's/.*used ([0-9]+)K.*/\1/p' <<<"$heap")
    committed=$(sed -nE 's/.*total ([0-9]+)K.*/\1/p' <<<"$heap")
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$SERVER_PID/status")
    rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status")
    fds=$(find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    conns=$(admin_sql -F, -c "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity
                              WHERE datname = '$BENCH_DB' AND usename = '$BENCH_DB_USER' AND application_name <> 'psql'")
    tables=$(sql -F, <<'SQL'
SELECT (SELECT count(*) FROM workflow_runs WHERE status IN ('QUEUED', 'RUNNING')),
       (SELECT count(*) FROM workflow_runs), (SELECT count(*) FROM workflow_run_steps),
       (SELECT count(*) FROM webhook_deliveries),
       round(pg_total_relation_size('workflow_runs') / 1048576.0, 2),
       round(pg_total_relation_size('workflow_run_steps') / 1048576.0, 2),
       round(pg_total_relation_size('webhook_deliveries') / 1048576.0, 2),
       round((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE 'soak\_%') / 1048576.0, 2),
       (SELECT count(*) FROM soak_pruned_runs)
SQL
)
    # thread names without their numbers, counted: the first sample's and the latest, to name what grew
    jcmd "$SERVER_PID" Thread.print 2>/dev/null | sed -nE 's/^"([^"]*)".*/\1/p' | sed -E 's/[0-9]+/N/g' | sort | uniq -c \
        >"$BENCH_WORK/threads-last.txt" || true
    [[ -f "$BENCH_WORK/threads-first.txt" ]] || cp "$BENCH_WORK/threads-last.txt" "$BENCH_WORK/threads-first.txt"
    t=$(date +%s.%N)
    latency=$(python3 "$BENCH_DIR/lib/soak-report.py" latency "$BENCH_WORK/requests.tsv" "$from" "$t" | tr ' ' ,)
    awk -v t="$t" -v s="$LOAD_START" 'BEGIN { printf "%.0f,%.2f,", t, (t - s) / 60 }'
    awk -v u="${used:-0}" -v c="${committed:-0}" 'BEGIN { printf "%.1f,%.1f,", u / 1024, c / 1024 }'
    echo "$threads,$conns,$fds,$rss,$tables,$latency"
}

require_tools
command -v jcmd >/dev/null || die "jcmd is needed (a JDK)"
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap cleanup EXIT
fresh_database
touch "$BENCH_WORK/received.txt" "$BENCH_WORK/requests.tsv" "$BENCH_WORK/accepted.tsv"
python3 "$BENCH_DIR/lib/slow-receiver.py" --port "$RECEIVER_PORT" --delay-ms "$RECEIVER_DELAY_MS" \
    --log "$BENCH_WORK/received.txt" 2>"$BENCH_WORK/receiver.log" &
RECEIVER_PID=$!
# shellcheck disable=SC2086
start_server "${ENGINE[@]}" ${ENGINE_OPTS:-}
wait_ready
audit_pruning
sign_in
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

if [[ -z "$SOAK_RATE" ]]; then
    create_workflow "soak capacity" "$PLAIN" 100
    sign_requests "$BENCH_WORK/capacity-warmup.tsv" 20000 "warmup-$(date +%s)"
    sign_requests "$BENCH_WORK/capacity.tsv" 40000 "capacity-$(date +%s)"
    # a first burst warms the JIT up (a fresh JVM measures a fraction of its capacity); the second one counts
    log "capacity: webhooks at $CAPACITY_CONNECTIONS connections for 10 s (warm-up), then $CAPACITY_SECONDS s"
    drive_webhooks "$CAPACITY_CONNECTIONS" 10 "$BENCH_WORK/capacity-warmup.tsv" "$BENCH_WORK/warmup-answers" >/dev/null
    burst_start=$(now)
    burst=$(drive_webhooks "$CAPACITY_CONNECTIONS" "$CAPACITY_SECONDS" "$BENCH_WORK/capacity.tsv" "$BENCH_WORK/capacity-answers")
    burst_end=$(now)
    in_burst=$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' AND status = 'SUCCEEDED'
                       AND finished_at > to_timestamp($burst_start) AND finished_at <= to_timestamp($burst_end)")
    CAPACITY=$(awk -v n="$in_burst" -v a="$burst_start" -v b="$burst_end" 'BEGIN { printf "%.0f", n / (b - a) }')
    wait_drained "$WORKFLOW_ID" 120 >/dev/null || true
    SOAK_RATE=$(awk -v c="$CAPACITY" -v f="$SOAK_LOAD_FRACTION" 'BEGIN { r = c * f; printf "%.0f", (r < 1 ? 1 : r) }')
    log "capacity $CAPACITY runs/s ($(field accepted "$burst") webhooks accepted, p99 $(field p99_ms "$burst") ms); soak rate $SOAK_RATE runs/s"
    capacity_text="$CAPACITY runs/s measured ($CAPACITY_SECONDS s burst at $CAPACITY_CONNECTIONS connections), soak at $SOAK_LOAD_FRACTION of it"
else
    capacity_text="not measured (SOAK_RATE given)"
fi
READ_RATE="${READ_RATE:-$(awk -v r="$SOAK_RATE" 'BEGIN { x = r / 10; printf "%.1f", (x < 1 ? 1 : x) }')}"

create_workflow "soak plain" "$PLAIN" 100
PLAIN_ID=$WORKFLOW_ID
hook_plain="$HOOK_PATH,$HOOK_SECRET"
create_workflow "soak http" "$HTTP" 100
HTTP_ID=$WORKFLOW_ID
hook_http="$HOOK_PATH,$HOOK_SECRET"
DELAYED_ID=$(api POST "/api/v1/workspaces/$WORKSPACE/workflows" \
    "{\"name\":\"soak delayed\",\"concurrencyLimit\":100,\"definition\":$DELAYED}" | jq -r .id) || die "creating the delayed workflow failed"
SCHEDULED_IDS=()
for i in $(seq 1 "$SCHEDULES"); do
    id=$(api POST "/api/v1/workspaces/$WORKSPACE/workflows" \
        "{\"name\":\"soak schedule $i\",\"concurrencyLimit\":10,\"definition\":$SCHEDULED}" | jq -r .id) \
        || die "creating a scheduled workflow failed"
    api PUT "/api/v1/workspaces/$WORKSPACE/workflows/$id/schedule" '{"cron":"* * * * *"}' >/dev/null \
        || die "setting the schedule failed"
    SCHEDULED_IDS+=("$id")
done
schedules_set=$(now)
SOAK_WORKFLOWS="'$PLAIN_ID','$HTTP_ID','$DELAYED_ID'"
for id in ${SCHEDULED_IDS[@]+"${SCHEDULED_IDS[@]}"}; do SOAK_WORKFLOWS+=",'$id'"; done

log "soak: $SOAK_MINUTES min at $SOAK_RATE runs/s (+ $READ_RATE/s each of run list, steps, /me; $SCHEDULES schedules" \
    "every minute); a sample every $SAMPLE_SECONDS s to $BENCH_WORK/samples.csv"
LOAD_START=$(now)
python3 "$BENCH_DIR/lib/soak-load.py" --port "$BENCH_PORT" --token "$TOKEN" --workspace "$WORKSPACE" \
    --hook "$hook_plain" --hook-http "$hook_http" --manual "$DELAYED_ID" --rate "$SOAK_RATE" --read-rate "$READ_RATE" \
    --seconds "$((SOAK_MINUTES * 60 + 15))" --out "$BENCH_WORK" --prefix "soak-$(date +%s)" 2>"$BENCH_WORK/load.log" &
LOAD_PID=$!
echo "$CSV_HEADER" >"$BENCH_WORK/samples.csv"
cpu_mark a
last=$LOAD_START
next=$SAMPLE_SECONDS
while kill -0 "$LOAD_PID" 2>/dev/null; do
    sleep 1
    # The load runs 15 s past the last sample: when it ends, its connections close at once and the server's
    # listener briefly grows its thread pool to handle them, which a sample then would count as growth.
    if ((next <= SOAK_MINUTES * 60)) && awk -v s="$LOAD_START" -v n="$next" -v t="$(now)" 'BEGIN { exit !(t - s >= n) }'; then
        row=$(sample "$last")
        last=$(now)
        echo "$row" >>"$BENCH_WORK/samples.csv"
        log "sample $(cut -d, -f2- <<<"$row")"
        next=$((next + SAMPLE_SECONDS))
        kill -0 "$SERVER_PID" 2>/dev/null || die "Payara Micro exited"
    fi
done
wait "$LOAD_PID" || log "the load generator exited with $? (see $BENCH_WORK/load.log)"
LOAD_PID=""
load_end=$(now)
cpu_mark b
for id in ${SCHEDULED_IDS[@]+"${SCHEDULED_IDS[@]}"}; do
    api POST "/api/v1/workspaces/$WORKSPACE/workflows/$id/schedule/pause" >/dev/null || log "pausing schedule $id failed"
done
schedules_paused=$(now)
log "load done after $(elapsed "$LOAD_START" "$load_end") s; draining"
drain_start=$(now)
open="?"
while :; do
    open=$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id IN ($SOAK_WORKFLOWS) AND status IN ('QUEUED', 'RUNNING')")
    [[ "$open" == 0 ]] && break
    awk -v a="$drain_start" -v b="$(now)" -v t="$DRAIN_TIMEOUT" 'BEGIN { exit !(b - a > t) }' && break
    sleep 0.5
done
drain=$(elapsed "$drain_start" "$(now)")

# Every run of the soak's workflows, live or pruned by retention, against the answers the load generator counted.
check=$(sql <<SQL
CREATE TEMP TABLE accepted (kind text, run_id uuid);
\copy accepted FROM '$BENCH_WORK/accepted.tsv'
CREATE TEMP TABLE received (key text);
\copy received FROM '$BENCH_WORK/received.txt'
CREATE TEMP TABLE runs AS
    SELECT id, workflow_id, status, attempt, false AS pruned FROM workflow_runs WHERE workflow_id IN ($SOAK_WORKFLOWS)
    UNION ALL
    SELECT id, workflow_id, status, attempt, true FROM soak_pruned_runs WHERE workflow_id IN ($SOAK_WORKFLOWS);
SELECT concat_ws(' ',
    'accepted=' || (SELECT count(*) FROM accepted),
    'distinct=' || (SELECT count(DISTINCT run_id) FROM accepted),
    'missing=' || (SELECT count(*) FROM accepted a WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = a.run_id)),
    'not_succeeded=' || (SELECT count(*) FROM accepted a JOIN runs r ON r.id = a.run_id WHERE r.status <> 'SUCCEEDED'),
    'runs=' || (SELECT count(*) FROM runs),
    'pruned=' || (SELECT count(*) FROM runs WHERE pruned),
    'recorded_twice=' || (SELECT count(*) FROM (SELECT id FROM runs GROUP BY id HAVING count(*) > 1) t),
    'unanswered=' || (SELECT count(*) FROM runs r WHERE r.workflow_id IN ('$PLAIN_ID', '$HTTP_ID', '$DELAYED_ID')
                      AND NOT EXISTS (SELECT 1 FROM accepted a WHERE a.run_id = r.id)),
    'open=' || (SELECT count(*) FROM runs WHERE status IN ('QUEUED', 'RUNNING')),
    'bad=' || (SELECT count(*) FROM runs WHERE status IN ('FAILED', 'CANCELED', 'DEAD_LETTERED')),
    'statuses=' || (SELECT coalesce(string_agg(status || ':' || n, ',' ORDER BY status), '-')
                    FROM (SELECT status, count(*) n FROM runs GROUP BY status) s),
    'retaken=' || (SELECT count(*) FROM runs WHERE attempt > 1),
    'twice=' || ((SELECT count(*) FROM (SELECT s.run_id, s.node_id FROM workflow_run_steps s JOIN runs r ON r.id = s.run_id
                                         WHERE s.status = 'SUCCEEDED' GROUP BY s.run_id, s.node_id HAVING count(*) > 1) t)
                 + (SELECT count(*) FROM soak_twice)),
    'not_called=' || (SELECT count(*) FROM runs r WHERE r.status = 'SUCCEEDED' AND r.workflow_id <> '$PLAIN_ID'
                      AND NOT EXISTS (SELECT 1 FROM received c WHERE c.key = r.id || ':call')),
    'called_twice=' || (SELECT count(*) FROM (SELECT key FROM received GROUP BY key HAVING count(*) > 1) t),
    'scheduled=' || (SELECT string_agg(n::text, '/' ORDER BY n) FROM (SELECT count(r.id) n FROM unnest(ARRAY[$(
        printf "'%s'::uuid," ${SCHEDULED_IDS[@]+"${SCHEDULED_IDS[@]}"} | sed 's/,$//')]) w(id)
        LEFT JOIN runs r ON r.workflow_id = w.id GROUP BY w.id) s),
    'scheduled_min=' || (SELECT coalesce(min(n), 0) FROM (SELECT count(r.id) n FROM unnest(ARRAY[$(
        printf "'%s'::uuid," ${SCHEDULED_IDS[@]+"${SCHEDULED_IDS[@]}"} | sed 's/,$//')]) w(id)
        LEFT JOIN runs r ON r.workflow_id = w.id GROUP BY w.id) s),
    'scheduled_max=' || (SELECT coalesce(max(n), 0) FROM (SELECT count(r.id) n FROM unnest(ARRAY[$(
        printf "'%s'::uuid," ${SCHEDULED_IDS[@]+"${SCHEDULED_IDS[@]}"} | sed 's/,$//')]) w(id)
        LEFT JOIN runs r ON r.workflow_id = w.id GROUP BY w.id) s));
SQL
)
# answers by kind and status, socket errors (status 0), steps of a run already pruned (404)
answers=$(awk -F'\t' '{ n[$2 ":" $3]++ } END { for (k in n) printf "%s=%d ", k, n[k] }' "$BENCH_WORK/requests.tsv" \
    | tr ' ' '\n' | sort | tr '\n' ' ')
unexpected=$(awk -F'\t' '!(($2 ~ /^webhook/ && $3 == 202) || ($2 == "manual" && $3 == 201) ||
                            (($2 == "list" || $2 == "me") && $3 == 200) || ($2 == "steps" && ($3 == 200 || $3 == 404))) {
                            n++ } END { print n + 0 }' "$BENCH_WORK/requests.tsv")
late=$(awk -F'\t' '$5 > 1000 { n++ } END { print n + 0 }' "$BENCH_WORK/requests.tsv")
sent=$(wc -l <"$BENCH_WORK/requests.tsv")
minutes_scheduled=$(awk -v a="$schedules_set" -v b="$schedules_paused" 'BEGIN { printf "%d", (b - a) / 60 }')

failures=0
pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
cat <<REPORT

== soak ($(nproc) cores; $SOAK_MINUTES min; $(date -u +%Y-%m-%dT%H:%MZ)) ==
capacity      $capacity_text
load          $SOAK_RATE runs/s (70% webhooks to data.set, 20% webhooks with an HTTP step, 10% manual runs with a $DELAY_SECONDS s delay and an HTTP step), $READ_RATE/s each of run list, run steps, /me; $SCHEDULES schedules every minute
              $sent requests in $(elapsed "$LOAD_START" "$load_end") s; answers by kind:status: $answers
              sent more than 1 s after their planned time (the load generator fell behind): $late
retention     run and delivery retention $RETENTION_DAYS days, pruned every minute; $(field pruned "$check") of $(field runs "$check") runs pruned during the soak
drain         $drain s after the load ($open soak runs still QUEUED/RUNNING)
runs          $(field runs "$check") runs of the soak's workflows ($(field statuses "$check")); $(field retaken "$check") taken over (attempt > 1); scheduled runs per workflow $(field scheduled "$check") over $minutes_scheduled minutes
cpu           during the load: $(cpu_share a b)
samples       $BENCH_WORK/samples.csv
REPORT
cut -d, -f2,3,5,6,8,10,11,12,13,17,18,19,20,21,22,23 "$BENCH_WORK/samples.csv" | column -s, -t
trends=0
python3 "$BENCH_DIR/lib/soak-report.py" trends "$BENCH_WORK/samples.csv" "$BENCH_WORK/requests.tsv" "$WARMUP_MINUTES" \
    "$P99_RATIO" || trends=$?
((trends == 0)) || failures=$((failures + 1))
echo "threads by name, first sample -> last (only those that changed):"
join -1 2 -2 2 -a 1 -a 2 -e 0 -o 0,1.1,2.1 <(awk '{ c = $1; $1 = ""; sub(/^ /, ""); gsub(/ /, "_"); print c, $0 }' \
        "$BENCH_WORK/threads-first.txt" | sort -k2) \
    <(awk '{ c = $1; $1 = ""; sub(/^ /, ""); gsub(/ /, "_"); print c, $0 }' "$BENCH_WORK/threads-last.txt" | sort -k2) \
    | awk '$2 != $3 { printf "  %-60s %4d -> %4d\n", $1, $2, $3 }'
pass "$unexpected" "every answer was the expected one (202 webhook, 201 manual run, 200 reads, 200 or 404 steps of a pruned run): $unexpected others"
pass "$(( $(field missing "$check") + $(field not_succeeded "$check") ))" \
    "every accepted webhook and manual run ended SUCCEEDED: $(field accepted "$check") accepted, $(field missing "$check") missing, $(field not_succeeded "$check") not SUCCEEDED"
pass "$(( $(field accepted "$check") - $(field distinct "$check") + $(field recorded_twice "$check") ))" \
    "each accepted request made one run: $(field distinct "$check") distinct run ids of $(field accepted "$check"), $(field recorded_twice "$check") runs recorded twice"
pass "$(field unanswered "$check")" "no run without its answer ($(field unanswered "$check"))"
pass "$(field open "$check")" "no run stuck QUEUED or RUNNING after the drain ($(field open "$check"))"
pass "$(field bad "$check")" "no run FAILED, CANCELED or DEAD_LETTERED ($(field bad "$check"))"
pass "$(field twice "$check")" "no (run, node) with two SUCCEEDED steps ($(field twice "$check"))"
pass "$(field not_called "$check")" "every SUCCEEDED run with an HTTP step reached the receiver ($(field not_called "$check") did not; $(field called_twice "$check") keys received twice)"
sched_ok=$(( $(field scheduled_min "$check") >= minutes_scheduled - 1 && $(field scheduled_max "$check") <= minutes_scheduled + 1 ? 0 : 1 ))
pass "$sched_ok" "each schedule fired once a minute: $(field scheduled "$check") runs over $minutes_scheduled minutes"
pruned_ok=$(( $(field pruned "$check") > 0 || RETENTION_DAYS > 0 ? 0 : 1 ))
pass "$pruned_ok" "retention pruned finished runs during the soak ($(field pruned "$check"))"
report_server_log
exit $((failures > 0))
