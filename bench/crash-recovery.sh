#!/usr/bin/env bash
# Crash recovery under webhook load: kill -9 the server mid-load, start it again on the same database, and check
# that every accepted webhook ended as exactly one SUCCEEDED run and that no finished step ran twice.
#
#   bench/crash-recovery.sh          (as root: starts the machine's PostgreSQL 15, recreates the database)
#
# The workflow is trigger.webhook -> http.request (POST to bench/lib/slow-receiver.py on 127.0.0.1, which answers
# after DELAY_MS and logs every Idempotency-Key it receives) -> data.set. Payara Micro runs with short leases
# (flowline.engine.lease-seconds=LEASE_SECONDS) and flowline.engine.http.allowed-networks=127.0.0.1/32.
# wrk POSTs pre-signed webhooks at CONNECTIONS connections for LOAD_SECONDS; KILL_AFTER seconds in, the Payara JVM
# gets SIGKILL and is started again at once; the script waits until it is ready and the queue has drained, then
# prints PASS/FAIL lines. A 202 counted by wrk must have its run; a request in flight at the kill may have made a run
# without an answer (counted as "unanswered", allowed) or nothing.
# Settings (environment, defaults shown): CONNECTIONS=16 LOAD_SECONDS=15 KILL_AFTER=7 LEASE_SECONDS=5 DELAY_MS=50
#   RECEIVER_PORT=8099 REQUESTS=60000 CONCURRENCY=100 (the workflow's concurrencyLimit) DRAIN_TIMEOUT=600
#   ENGINE_OPTS="" (more JVM options), and those of bench/lib/common.sh (FLOWLINE_WAR, MICRO_JAR, BENCH_PORT, ...).
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/crash-recovery}"
source "$(dirname "$0")/lib/common.sh"

CONNECTIONS="${CONNECTIONS:-16}"
LOAD_SECONDS="${LOAD_SECONDS:-15}"
KILL_AFTER="${KILL_AFTER:-7}"
LEASE_SECONDS="${LEASE_SECONDS:-5}"
DELAY_MS="${DELAY_MS:-50}"
RECEIVER_PORT="${RECEIVER_PORT:-8099}"
REQUESTS="${REQUESTS:-60000}"
CONCURRENCY="${CONCURRENCY:-100}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-600}"
DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"call","type":"http.request","params":{"url":"http://127.0.0.1:'"$RECEIVER_PORT"'/receive","method":"POST",
      "body":{"n":"{{input.n}}"}}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}","status":"{{nodes.call.status}}"}}}],
  "edges":[{"from":"hook","to":"call"},{"from":"call","to":"set"}]}'
ENGINE=(-Dflowline.engine.lease-seconds="$LEASE_SECONDS" -Dflowline.engine.http.allowed-networks=127.0.0.1/32)

RECEIVER_PID=""
WRK_PID=""
cleanup() {
    [[ -n "$WRK_PID" ]] && kill "$WRK_PID" 2>/dev/null || true
    stop_server
    [[ -n "$RECEIVER_PID" ]] && kill "$RECEIVER_PID" 2>/dev/null || true
}

require_tools
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap cleanup EXIT
fresh_database
touch "$BENCH_WORK/received.txt"
python3 "$BENCH_DIR/lib/slow-receiver.py" --port "$RECEIVER_PORT" --delay-ms "$DELAY_MS" \
    --log "$BENCH_WORK/received.txt" 2>"$BENCH_WORK/receiver.log" &
RECEIVER_PID=$!
# shellcheck disable=SC2086
start_server "${ENGINE[@]}" ${ENGINE_OPTS:-}
wait_ready
sign_in
create_workflow "bench crash recovery" "$DEFINITION" "$CONCURRENCY"
sign_requests "$BENCH_WORK/requests.tsv" "$REQUESTS" "crash-$(date +%s)"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

log "webhooks at $CONNECTIONS connections for $LOAD_SECONDS s; SIGKILL to Payara after $KILL_AFTER s"
drive_webhooks "$CONNECTIONS" "$LOAD_SECONDS" "$BENCH_WORK/requests.tsv" "$BENCH_WORK/answers" >"$BENCH_WORK/wrk.out" &
WRK_PID=$!
load_start=$(now)
sleep "$KILL_AFTER"
victim=$SERVER_PID
kill -9 "$victim"
killed_at=$(now)
while kill -0 "$victim" 2>/dev/null; do sleep 0.05; done
at_kill=$(sql -c "SELECT coalesce(string_agg(status || ':' || n, ',' ORDER BY status), '-')
                  FROM (SELECT status, count(*) n FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' GROUP BY status) s")
running_at_kill=$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' AND status = 'RUNNING'")
received_at_kill=$(wc -l <"$BENCH_WORK/received.txt")
log "killed pid $victim $(elapsed "$load_start" "$killed_at") s into the load; runs then: $at_kill"
echo "===== restart after kill -9 =====" >>"$BENCH_WORK/payara.log"
# shellcheck disable=SC2086
start_server "${ENGINE[@]}" ${ENGINE_OPTS:-}
wait "$WRK_PID" || true
WRK_PID=""
hooks=$(cat "$BENCH_WORK/wrk.out")
wait_ready
ready_at=$(now)
drain=$(wait_drained "$WORKFLOW_ID" "$DRAIN_TIMEOUT") || true
check=$(check_runs "$WORKFLOW_ID" "$BENCH_WORK/answers")

# Idempotency-Keys the receiver saw (<runId>:call), against the runs' attempts
keys=$(sql <<SQL
CREATE TEMP TABLE received (key text);
\copy received FROM '$BENCH_WORK/received.txt'
WITH counted AS (SELECT key, count(*) AS n FROM received GROUP BY key),
     runs AS (SELECT * FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID'),
     keyed AS (SELECT c.key, c.n, r.attempt FROM counted c
               LEFT JOIN runs r ON r.id::text = split_part(c.key, ':', 1))
SELECT concat_ws(' ',
    'requests=' || (SELECT count(*) FROM received),
    'keys=' || (SELECT count(*) FROM counted),
    'without_key=' || (SELECT coalesce(sum(n), 0) FROM counted WHERE key = '-'),
    'repeated=' || (SELECT count(*) FROM keyed WHERE n > 1),
    'repeated_max=' || (SELECT coalesce(max(n), 0) FROM keyed),
    'repeated_retaken=' || (SELECT count(*) FROM keyed WHERE n > 1 AND attempt > 1),
    'repeated_unexplained=' || (SELECT count(*) FROM keyed WHERE n > 1 AND (attempt IS NULL OR attempt = 1)),
    'unknown_run=' || (SELECT count(*) FROM keyed WHERE key <> '-' AND attempt IS NULL),
    'retaken=' || (SELECT count(*) FROM runs WHERE attempt > 1),
    'retaken_recalled=' || (SELECT count(*) FROM runs r JOIN counted c ON c.key = r.id || ':call'
                            WHERE r.attempt > 1 AND c.n > 1),
    'retaken_done_before=' || (SELECT count(*) FROM runs r JOIN workflow_run_steps s ON s.run_id = r.id
                               WHERE r.attempt > 1 AND s.node_id = 'call' AND s.status = 'SUCCEEDED' AND s.attempt < r.attempt),
    'retaken_first_call_after=' || (SELECT count(*) FROM runs r JOIN workflow_run_steps s ON s.run_id = r.id
                                    JOIN counted c ON c.key = r.id || ':call'
                                    WHERE r.attempt > 1 AND s.node_id = 'call' AND s.status = 'SUCCEEDED'
                                      AND s.attempt = r.attempt AND c.n = 1),
    'not_called=' || (SELECT count(*) FROM runs r WHERE r.status = 'SUCCEEDED'
                      AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.key = r.id || ':call')),
    'call_steps=' || (SELECT count(*) FROM workflow_run_steps s JOIN runs r ON r.id = s.run_id
                      WHERE s.node_id = 'call' AND s.status = 'SUCCEEDED'));
SQL
)

pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
failures=0
answered=$(field answered "$check")
cat <<REPORT

== crash recovery ($(nproc) cores; lease $LEASE_SECONDS s; receiver delay $DELAY_MS ms; workflow concurrencyLimit $CONCURRENCY) ==
load          wrk $CONNECTIONS connections for $LOAD_SECONDS s: $(field accepted "$hooks") answered 202 ($(field duplicates "$hooks") duplicates), non-202 $(field other "$hooks") ($(field other_statuses "$hooks")), socket errors connect/read/write/timeout $(field connect_errors "$hooks")/$(field read_errors "$hooks")/$(field write_errors "$hooks")/$(field timeouts "$hooks")
kill          SIGKILL $(elapsed "$load_start" "$killed_at") s into the load; runs at that moment: $at_kill; receiver had $received_at_kill requests
restart       ready $(elapsed "$killed_at" "$ready_at") s after the kill; queue drained $drain s after ready
runs          $(field runs "$check") in the database ($(field statuses "$check")); $(field retaken "$check") taken over after the crash (attempt > 1); unanswered (in flight at the kill or at the end of the load) $(field unanswered "$check"); failed steps $(field failed_steps "$check")
              trigger to finish p50 $(field t2f_p50_ms "$check") ms, p99 $(field t2f_p99_ms "$check") ms
receiver      $(field requests "$keys") requests, $(field keys "$keys") distinct Idempotency-Keys; $(field repeated "$keys") keys received more than once (at most $(field repeated_max "$keys") times), $(field repeated_retaken "$keys") of them for runs taken over after the crash; $(field retaken_recalled "$keys") of the $(field retaken "$keys") taken-over runs called the receiver again
              (of the taken-over runs: $(field retaken_done_before "$keys") had the call recorded before the crash and resumed after it, $(field retaken_first_call_after "$keys") made their first call after the takeover, $(field retaken_recalled "$keys") called again)
REPORT
pass "$(( $(field missing "$check") + $(field not_succeeded "$check") ))" \
    "every 202 names a run that SUCCEEDED: $answered answered, $(field distinct "$check") distinct run ids, $(field missing "$check") missing, $(field not_succeeded "$check") not SUCCEEDED"
pass "$(( answered - $(field distinct "$check") + $(field duplicates "$hooks") ))" \
    "each accepted webhook made one run: no run id answered twice"
pass "$(field open "$check")" "no run left QUEUED or RUNNING after the drain ($(field open "$check"))"
pass "$(field bad "$check")" "no run FAILED, CANCELED or DEAD_LETTERED ($(field bad "$check"))"
pass "$(field twice "$check")" "no (run, node) with two SUCCEEDED steps ($(field twice "$check"))"
pass "$(field not_called "$keys")" "every SUCCEEDED run's http.request reached the receiver ($(field not_called "$keys") did not)"
pass "$(( $(field repeated_unexplained "$keys") + $(field unknown_run "$keys") ))" \
    "repeated Idempotency-Keys only for runs taken over after the crash ($(field repeated_unexplained "$keys") for runs never taken over, $(field unknown_run "$keys") for unknown runs)"
if [[ "$running_at_kill" == 0 ]]; then
    echo "WARN  no run was RUNNING at the kill: the takeover of leases was not exercised (raise the load or KILL_AFTER)"
fi
cat <<'NOTE'
      (A key received twice is a run whose http.request was in flight, or answered but not yet recorded, when the
       JVM died: the step was never written, so when the lease expired the new instance ran the node again with the
       same Idempotency-Key. That is at-least-once delivery to the outside, which the key lets the receiver
       deduplicate; a finished (recorded) step never runs again.)
NOTE
report_server_log
exit $((failures > 0))
