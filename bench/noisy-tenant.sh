#!/usr/bin/env bash
# A noisy tenant: one workspace (A) queues BACKLOG runs at once; another workspace's (B) single webhook run, sent a
# second later, must not wait behind them. Then the cost of the fair claim, on the same data in SQL.
#
#   bench/noisy-tenant.sh       (as root: starts the machine's PostgreSQL 15 cluster main, recreates the database)
#
# 1. Payara Micro with the WAR on a fresh database; user 1's workspace B gets a webhook workflow
#    trigger.webhook -> data.set, user 2's workspace A a manual workflow trigger.manual -> data.set
#    (concurrencyLimit A_CONCURRENCY).
# 2. Idle engine: WARMUP signed webhooks to B (not counted: a fresh JVM's first runs are slow), then IDLE_SAMPLES,
#    one at a time; each run's trigger-to-finish time is finished_at - queued_at as the database has them. The idle
#    figure is their median.
# 3. A's BACKLOG runs are inserted by SQL as QUEUED rows, due now, in one transaction (20,000 runs through the API
#    would take longer to send than the engine takes to start on them, so they would not be "at once"); DELAY seconds
#    later B's webhook is sent; then LOADED_SAMPLES - 1 more, a second apart, while the backlog drains.
#    PASS when the median of B's runs under load is within 2x the idle figure (the first one's ratio is printed too;
#    one sample on a shared machine is noise), and A's backlog still waited when the last was sent.
# 4. A's drain: runs/s from the insert to the last finish, end to end through the engine (the fair claim).
# 5. Engine stopped, the claim statements side by side in SQL on one seeded database (bench/lib/noisy-backlog.sql:
#    BACKLOG runs in one workspace, OTHERS workspaces with EACH runs each, newer): the fair claim of this checkout's
#    JpaRunQueue.CLAIM and the oldest-first claim of OLD_CLAIM_REV (the commit before it), each extracted by
#    bench/lib/claim-sql.py and PREPAREd: EXPLAIN ANALYZE of one claim of CLAIM_LIMIT runs, then a drain loop (claim
#    CLAIM_LIMIT, mark them SUCCEEDED, one autocommit statement each, until every run is claimed): claims/s and
#    runs/s of the statement alone, and at which claim the other workspaces' last run was taken.
# Settings (environment, defaults shown): BACKLOG=20000 A_CONCURRENCY=100 WARMUP=5 IDLE_SAMPLES=7 LOADED_SAMPLES=7
#   DELAY=1
#   OTHERS=50 EACH=3 CLAIM_LIMIT=8 (the engine's default flowline.engine.workers) DRAIN_TIMEOUT=600
#   OLD_CLAIM_REV=a69be4b ENGINE_OPTS="" and those of bench/lib/common.sh; BENCH_PORT defaults to 8180 and BENCH_DB,
#   BENCH_DB_USER, BENCH_DB_PASSWORD to flowline_fair here.
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/noisy-tenant}"
BENCH_PORT="${BENCH_PORT:-8180}"
BENCH_DB="${BENCH_DB:-flowline_fair}"
BENCH_DB_USER="${BENCH_DB_USER:-flowline_fair}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_fair}"
source "$(dirname "$0")/lib/common.sh"

BACKLOG="${BACKLOG:-20000}"
A_CONCURRENCY="${A_CONCURRENCY:-100}"
WARMUP="${WARMUP:-5}"
IDLE_SAMPLES="${IDLE_SAMPLES:-7}"
LOADED_SAMPLES="${LOADED_SAMPLES:-7}"
DELAY="${DELAY:-1}"
OTHERS="${OTHERS:-50}"
EACH="${EACH:-3}"
CLAIM_LIMIT="${CLAIM_LIMIT:-8}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-600}"
OLD_CLAIM_REV="${OLD_CLAIM_REV:-a69be4b}"
QUEUE_SOURCE=src/main/java/dev/flowline/runs/jpa/JpaRunQueue.java
HOOK_DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],"edges":[{"from":"hook","to":"set"}]}'
MANUAL_DEFINITION='{"nodes":[{"id":"start","type":"trigger.manual","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],"edges":[{"from":"start","to":"set"}]}'

require_tools
git -C "$REPO_DIR" cat-file -e "$OLD_CLAIM_REV:$QUEUE_SOURCE" 2>/dev/null \
    || die "no $QUEUE_SOURCE at $OLD_CLAIM_REV (set OLD_CLAIM_REV)"
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap stop_server EXIT
fresh_database
# shellcheck disable=SC2086
start_server ${ENGINE_OPTS:-}
wait_ready

sign_in
B_WORKSPACE=$WORKSPACE
create_workflow "quiet webhook" "$HOOK_DEFINITION" 1
B_WORKFLOW=$WORKFLOW_ID
B_HOOK_PATH=$HOOK_PATH
B_HOOK_SECRET=$HOOK_SECRET
sign_in
A_WORKSPACE=$WORKSPACE
# a manual workflow has no webhook (create_workflow wants one)
A_WORKFLOW=$(api POST "/api/v1/workspaces/$A_WORKSPACE/workflows" \
    "{\"name\":\"noisy backlog\",\"concurrencyLimit\":$A_CONCURRENCY,\"definition\":$MANUAL_DEFINITION}" | jq -r .id)
[[ "$A_WORKFLOW" =~ ^[0-9a-f-]{36}$ ]] || die "creating A's workflow failed"
log "workspace A $A_WORKSPACE (workflow $A_WORKFLOW), workspace B $B_WORKSPACE (workflow $B_WORKFLOW)"

# hook_run N: sends one signed webhook to B (delivery noisy-N) and prints the run id of its 202
hook_run() {
    local line ts sig delivery body
    line=$(python3 "$BENCH_DIR/lib/sign-webhooks.py" --secret "$B_HOOK_SECRET" --count 1 --delivery-prefix "noisy-$1")
    IFS=$'\t' read -r ts sig delivery body <<<"$line"
    curl -s -X POST -H 'Content-Type: application/json' -H "X-Flowline-Timestamp: $ts" \
        -H "X-Flowline-Signature: $sig" -H "X-Flowline-Delivery: $delivery" --data-binary "$body" \
        "$BASE$B_HOOK_PATH" | jq -r .runId
}
# finished_ms RUN-ID: waits (at most 120 s) until the run has ended; prints its trigger-to-finish time in ms
finished_ms() {
    local t2f=""
    for _ in $(seq 1200); do
        t2f=$(sql -c "SELECT round(extract(epoch FROM finished_at - queued_at) * 1000) FROM workflow_runs
                      WHERE id = '$1' AND status = 'SUCCEEDED'")
        [[ -n "$t2f" ]] && break
        sleep 0.1
    done
    [[ -n "$t2f" ]] || { log "run $1 did not succeed within 120 s"; echo 999999; return; }
    echo "$t2f"
}
# rate N SECONDS: N / SECONDS, rounded (the parentheses matter: a bare > after awk's printf redirects to a file)
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
# waited_ms RUN-ID: how long the (ended) run waited to be claimed, queued_at to started_at, in ms
waited_ms() { sql -c "SELECT round(extract(epoch FROM started_at - queued_at) * 1000) FROM workflow_runs WHERE id = '$1'"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

log "warm-up: $WARMUP webhook runs of B (not counted: the first runs of a fresh JVM are slow)"
for i in $(seq "$WARMUP"); do
    run=$(hook_run "warmup-$i")
    [[ "$run" =~ ^[0-9a-f-]{36}$ ]] || die "webhook not accepted: $run"
    finished_ms "$run" >/dev/null
done
log "idle: $IDLE_SAMPLES webhook runs of B, one at a time"
idle=()
idle_wait=()
for i in $(seq "$IDLE_SAMPLES"); do
    run=$(hook_run "idle-$i")
    [[ "$run" =~ ^[0-9a-f-]{36}$ ]] || die "webhook not accepted: $run"
    idle+=("$(finished_ms "$run")")
    idle_wait+=("$(waited_ms "$run")")
    sleep 0.5
done
idle_median=$(printf '%s\n' "${idle[@]}" | median)
log "idle trigger to finish (ms): ${idle[*]}; median $idle_median"

log "A's $BACKLOG runs, inserted as QUEUED rows in one transaction"
version=$(sql -c "SELECT current_version FROM workflows WHERE id = '$A_WORKFLOW'")
sql -c "INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger, input, queued_at,
                                   next_attempt_at)
        SELECT gen_random_uuid(), '$A_WORKSPACE', '$A_WORKFLOW', $version, 'QUEUED', 'MANUAL',
               jsonb_build_object('n', i), now(), now()
        FROM generate_series(1, $BACKLOG) i" >/dev/null
inserted=$(now)
sleep "$DELAY"
loaded=()
loaded_wait=()
backlog_left=()
for i in $(seq "$LOADED_SAMPLES"); do
    backlog_left+=("$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$A_WORKFLOW' AND status = 'QUEUED'")")
    run=$(hook_run "loaded-$i")
    [[ "$run" =~ ^[0-9a-f-]{36}$ ]] || die "webhook not accepted under load: $run"
    loaded+=("$(finished_ms "$run")")
    loaded_wait+=("$(waited_ms "$run")")
    sleep 1
done
loaded_median=$(printf '%s\n' "${loaded[@]}" | median)
log "under A's backlog, trigger to finish (ms): ${loaded[*]}; median $loaded_median (A's runs still QUEUED when each was sent: ${backlog_left[*]})"
drain=$(wait_drained "$A_WORKFLOW" "$DRAIN_TIMEOUT") || true
a_runs=$(sql -c "SELECT concat_ws(' ', count(*) FILTER (WHERE status = 'SUCCEEDED'), count(*),
                        round(extract(epoch FROM max(finished_at) - min(queued_at))::numeric, 2))
                 FROM workflow_runs WHERE workflow_id = '$A_WORKFLOW'")
read -r a_succeeded a_total a_seconds <<<"$a_runs"
a_rate=$(rate "$a_succeeded" "$a_seconds")
stop_server

# --- the claim statements side by side, in SQL, on one seeded database (the engine stopped) ---
log "claim statements: seeding $BACKLOG runs in one workspace and $EACH in each of $OTHERS others"
sql -c "DELETE FROM workflow_runs" >/dev/null
sql -v backlog="$BACKLOG" -v others="$OTHERS" -v each="$EACH" -f "$BENCH_DIR/lib/noisy-backlog.sql" >/dev/null
python3 "$BENCH_DIR/lib/claim-sql.py" claim_fair <"$REPO_DIR/$QUEUE_SOURCE" >"$BENCH_WORK/claim-fair.sql"
git -C "$REPO_DIR" show "$OLD_CLAIM_REV:$QUEUE_SOURCE" | python3 "$BENCH_DIR/lib/claim-sql.py" claim_oldest \
    >"$BENCH_WORK/claim-oldest.sql"
total=$(sql -c "SELECT count(*) FROM workflow_runs WHERE status = 'QUEUED'")
claims=$(( (total + CLAIM_LIMIT - 1) / CLAIM_LIMIT ))
# one claim, explained and rolled back (the seeded data stays as it is)
explain() {
    { cat "$BENCH_WORK/claim-$1.sql"
      echo "BEGIN; EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE claim_$1(now(), 'explain', now() + interval '1 minute', $CLAIM_LIMIT, 3); ROLLBACK;"
      echo "BEGIN; EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE claim_$1(now(), 'explain', now() + interval '1 minute', $CLAIM_LIMIT, 3); ROLLBACK;"
    } | sql -f - >"$BENCH_WORK/explain-$1.txt"
}
# drain NAME: claims until every seeded run is claimed (claim i leases to owner c<i>; the claimed runs are then marked
# SUCCEEDED, keeping leased_by to tell which claim took them); prints "seconds left quiet_last_claim"
drain() {
    { cat "$BENCH_WORK/claim-$1.sql"
      for i in $(seq "$claims"); do
          echo "EXECUTE claim_$1(now(), 'c$i', now() + interval '1 minute', $CLAIM_LIMIT, 3);"
          echo "UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = now() WHERE leased_by = 'c$i' AND status = 'RUNNING';"
      done
    } >"$BENCH_WORK/drain-$1.sql"
    local started ended
    started=$(now)
    sql -o /dev/null -f "$BENCH_WORK/drain-$1.sql"
    ended=$(now)
    sql -c "SELECT concat_ws(' ', '$(elapsed "$started" "$ended")',
                   (SELECT count(*) FROM workflow_runs WHERE status = 'QUEUED'),
                   (SELECT max(substr(r.leased_by, 2)::int) FROM workflow_runs r JOIN workspaces w ON w.id = r.workspace_id
                    WHERE w.name LIKE 'claim quiet %'))"
}
reset_runs() {
    sql -c "UPDATE workflow_runs SET status = 'QUEUED', leased_by = NULL, lease_expires_at = NULL, started_at = NULL,
                   finished_at = NULL, attempt = 0" >/dev/null
    sql -c "VACUUM ANALYZE workflow_runs" >/dev/null
}
explain fair
explain oldest
log "drain loop, fair claim: $claims claims of $CLAIM_LIMIT"
read -r fair_s fair_left fair_quiet <<<"$(drain fair)"
reset_runs
log "drain loop, oldest-first claim: $claims claims of $CLAIM_LIMIT"
read -r old_s old_left old_quiet <<<"$(drain oldest)"
exec_ms() { grep 'Execution Time' "$BENCH_WORK/explain-$1.txt" | tail -1 | sed -E 's/.*: ([0-9.]+) ms/\1/'; }
buffers() { grep -m1 'Buffers' "$BENCH_WORK/explain-$1.txt" | sed -E 's/^ *Buffers: //'; }

pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
failures=0
within=$(awk -v l="$loaded_median" -v i="$idle_median" 'BEGIN { print (l <= 2 * i) ? 0 : 1 }')
last_left=${backlog_left[-1]}
cat <<REPORT

== a noisy tenant ($(nproc) cores; A: $BACKLOG runs at once, workflow concurrencyLimit $A_CONCURRENCY) ==
idle          B's webhook run, trigger to finish (ms): ${idle[*]}; median $idle_median
              of which waiting to be claimed (ms): ${idle_wait[*]}
under load    B's webhook run ${DELAY} s after A's backlog, then a second apart, trigger to finish (ms): ${loaded[*]}; median $loaded_median
              of which waiting to be claimed (ms): ${loaded_wait[*]}
              ratio to idle: first $(awk -v l="${loaded[0]}" -v i="$idle_median" 'BEGIN { printf "%.2f", l / i }'), median $(awk -v l="$loaded_median" -v i="$idle_median" 'BEGIN { printf "%.2f", l / i }')
              (A's runs still QUEUED as each was sent: ${backlog_left[*]})
A's drain     $a_succeeded of $a_total SUCCEEDED in $a_seconds s from the insert: $a_rate runs/s through the engine
claim in SQL  $total seeded runs ($BACKLOG in one workspace, $EACH in each of $OTHERS others, newer), $claims claims of $CLAIM_LIMIT:
              fair          one claim $(exec_ms fair) ms ($(buffers fair)); drain $fair_s s = $(rate "$claims" "$fair_s") claims/s, $(rate "$total" "$fair_s") runs/s; left $fair_left; the others' last run taken by claim $fair_quiet
              oldest-first  one claim $(exec_ms oldest) ms ($(buffers oldest)); drain $old_s s = $(rate "$claims" "$old_s") claims/s, $(rate "$total" "$old_s") runs/s; left $old_left; the others' last run taken by claim $old_quiet
              (plans: $BENCH_WORK/explain-fair.txt, $BENCH_WORK/explain-oldest.txt)
REPORT
pass "$within" "B's runs under A's backlog finished within 2x the idle figure (medians): $loaded_median ms <= 2 x $idle_median ms"
pass "$(( last_left > 0 ? 0 : 1 ))" "every loaded sample was sent while A's backlog still waited ($last_left runs QUEUED at the last)"
pass "$(( a_total - a_succeeded ))" "every run of A's backlog SUCCEEDED ($a_succeeded of $a_total)"
pass "$(( fair_left + old_left ))" "each claim statement's drain loop claimed every seeded run (left: fair $fair_left, oldest-first $old_left)"
pass "$(( fair_quiet > (OTHERS * EACH + CLAIM_LIMIT - 2) / (CLAIM_LIMIT - 1) + 1 ))" \
    "the fair claim took the other workspaces' runs in the first claims (the last by claim $fair_quiet; oldest-first: $old_quiet)"
report_server_log
exit $(( failures > 0 ))
