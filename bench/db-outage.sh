#!/usr/bin/env bash
# The database goes away and comes back, under webhook load: PostgreSQL is stopped for OUTAGE_SECONDS and started
# again while wrk POSTs signed webhooks and a prober (bench/lib/outage-probe.py) calls /health/live, /health/ready,
# GET /api/v1/me, a workflow list and the webhook every PROBE_INTERVAL seconds. Payara Micro is never restarted.
#
#   bench/db-outage.sh        (as root: creates and starts its own PostgreSQL 15 cluster "outage" on port 5433)
#
# The cluster is this script's own (pg_createcluster 15 outage --port 5433, created when missing; only ever started
# and stopped with pg_ctlcluster 15 outage ...): the machine's main cluster is left alone. The workflows are
# trigger.webhook -> data.set (the load) and trigger.schedule -> data.set on "* * * * *" (the scheduler after the
# outage). Timeline: BEFORE_SECONDS of load, `pg_ctlcluster 15 outage stop -m fast`, OUTAGE_SECONDS down, start,
# AFTER_SECONDS of load; then the drain and the checks (PASS/FAIL lines; exit status 1 on a FAIL):
#   - during the outage: /health/live 200, /health/ready 503; every API call and webhook answered 503
#     application/problem+json of type .../problems/service-unavailable with Retry-After, none slower than
#     ANSWER_LIMIT seconds;
#   - over the whole load: webhooks answered only 202 or 503 (counted), no socket error;
#   - after the start: /health/ready 200 within READY_LIMIT seconds (the time is printed), then no answer but 2xx
#     (the pool replaced its dead connections);
#   - every 202 names a run that SUCCEEDED, no run answered twice, none left QUEUED/RUNNING, none failed, no (run,
#     node) with two SUCCEEDED steps; a scheduled run fired after the outage and SUCCEEDED;
#   - the server log stayed readable: requests and transactions cut by the stop are logged by Payara in the first
#     seconds (with stack traces); from BURST_SECONDS after the stop until the start at most LOG_LIMIT WARNING/SEVERE
#     records (Flowline's one line per paused job) and no stack trace: nothing logged per request or per poll.
# Settings (environment, defaults shown): CONNECTIONS=8 BEFORE_SECONDS=10 OUTAGE_SECONDS=20 AFTER_SECONDS=20
#   REQUESTS=60000 CONCURRENCY=100 LEASE_SECONDS=60 PROBE_INTERVAL=0.25 ANSWER_LIMIT=10 READY_LIMIT=10
#   DRAIN_TIMEOUT=300 SCHEDULE_TIMEOUT=90 LOG_LIMIT=20 BURST_SECONDS=3 ENGINE_OPTS="" and those of bench/lib/common.sh (defaults
#   here: BENCH_PORT=8280 BENCH_DB=flowline_outage BENCH_PG_CLUSTER=outage BENCH_PG_PORT=5433).
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/db-outage}"
export BENCH_PORT="${BENCH_PORT:-8280}" BENCH_DB="${BENCH_DB:-flowline_outage}"
export BENCH_DB_USER="${BENCH_DB_USER:-flowline_outage}" BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_outage}"
export BENCH_PG_CLUSTER="${BENCH_PG_CLUSTER:-outage}" BENCH_PG_PORT="${BENCH_PG_PORT:-5433}"
source "$(dirname "$0")/lib/common.sh"

CONNECTIONS="${CONNECTIONS:-8}"
BEFORE_SECONDS="${BEFORE_SECONDS:-10}"
OUTAGE_SECONDS="${OUTAGE_SECONDS:-20}"
AFTER_SECONDS="${AFTER_SECONDS:-20}"
REQUESTS="${REQUESTS:-60000}"
CONCURRENCY="${CONCURRENCY:-100}"
LEASE_SECONDS="${LEASE_SECONDS:-60}"
PROBE_INTERVAL="${PROBE_INTERVAL:-0.25}"
ANSWER_LIMIT="${ANSWER_LIMIT:-10}"
READY_LIMIT="${READY_LIMIT:-10}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-300}"
SCHEDULE_TIMEOUT="${SCHEDULE_TIMEOUT:-90}"
LOG_LIMIT="${LOG_LIMIT:-20}"
BURST_SECONDS="${BURST_SECONDS:-3}"
HOOK_DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],
  "edges":[{"from":"hook","to":"set"}]}'
SCHEDULE_DEFINITION='{"nodes":[{"id":"tick","type":"trigger.schedule","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"ticked":true}}}],
  "edges":[{"from":"tick","to":"set"}]}'

WRK_PID=""
PROBE_PID=""
cleanup() {
    [[ -n "$WRK_PID" ]] && kill "$WRK_PID" 2>/dev/null || true
    [[ -n "$PROBE_PID" ]] && kill "$PROBE_PID" 2>/dev/null || true
    stop_server
    # leave the cluster running (as found or created), never stopped by a failed run halfway through the outage
    pg_ctlcluster 15 "$BENCH_PG_CLUSTER" status >/dev/null 2>&1 || pg_ctlcluster 15 "$BENCH_PG_CLUSTER" start || true
}

command -v pg_createcluster >/dev/null || { log "installing postgresql-15"; apt-get install -y -q postgresql-15 >/dev/null; }
if ! pg_lsclusters -h | awk '{ print $1 "/" $2 }' | grep -qx "15/$BENCH_PG_CLUSTER"; then
    log "creating the PostgreSQL 15 cluster $BENCH_PG_CLUSTER on port $BENCH_PG_PORT"
    pg_createcluster 15 "$BENCH_PG_CLUSTER" --port "$BENCH_PG_PORT" >/dev/null
fi
require_tools
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap cleanup EXIT
fresh_database
# shellcheck disable=SC2086
start_server -Dflowline.engine.lease-seconds="$LEASE_SECONDS" -Dflowline.scheduler.poll-seconds=2 ${ENGINE_OPTS:-}
wait_ready
sign_in
SCHEDULED_ID=$(api POST "/api/v1/workspaces/$WORKSPACE/workflows" \
    "{\"name\":\"bench outage schedule\",\"definition\":$SCHEDULE_DEFINITION}" | jq -r .id) \
    || die "creating the scheduled workflow failed"
api PUT "/api/v1/workspaces/$WORKSPACE/workflows/$SCHEDULED_ID/schedule" '{"cron":"* * * * *"}' >/dev/null \
    || die "setting the schedule failed"
create_workflow "bench outage webhooks" "$HOOK_DEFINITION" "$CONCURRENCY"
sign_requests "$BENCH_WORK/requests.tsv" "$REQUESTS" "outage-$(date +%s)"
sign_requests "$BENCH_WORK/probe-requests.tsv" 2000 "probe-$(date +%s)"

LOAD_SECONDS=$((BEFORE_SECONDS + OUTAGE_SECONDS + AFTER_SECONDS))
log "webhooks at $CONNECTIONS connections for $LOAD_SECONDS s; PostgreSQL stopped after $BEFORE_SECONDS s for $OUTAGE_SECONDS s"
python3 "$BENCH_DIR/lib/outage-probe.py" --base "$BASE" --token "$TOKEN" --hook-path "$HOOK_PATH" \
    --list-path "/api/v1/workspaces/$WORKSPACE/workflows" --requests "$BENCH_WORK/probe-requests.tsv" \
    --interval "$PROBE_INTERVAL" >"$BENCH_WORK/probe.tsv" 2>"$BENCH_WORK/probe.log" &
PROBE_PID=$!
drive_webhooks "$CONNECTIONS" "$LOAD_SECONDS" "$BENCH_WORK/requests.tsv" "$BENCH_WORK/answers" >"$BENCH_WORK/wrk.out" &
WRK_PID=$!
load_start=$(now)
sleep "$BEFORE_SECONDS"
echo "===== $(date -u +%FT%TZ) stopping PostgreSQL =====" >>"$BENCH_WORK/payara.log"
log_lines_before=$(wc -l <"$BENCH_WORK/payara.log")
stop_begin=$(now)
pg_ctlcluster 15 "$BENCH_PG_CLUSTER" stop -m fast
stop_end=$(now)
log "PostgreSQL stopped ($(elapsed "$stop_begin" "$stop_end") s)"
sleep "$OUTAGE_SECONDS"
start_begin=$(now)
pg_ctlcluster 15 "$BENCH_PG_CLUSTER" start
start_end=$(now)
echo "===== $(date -u +%FT%TZ) PostgreSQL started =====" >>"$BENCH_WORK/payara.log"
log "PostgreSQL started ($(elapsed "$start_begin" "$start_end") s); waiting for readiness"
ready_at=""
while awk -v a="$start_end" -v b="$(now)" -v t=$((READY_LIMIT * 6)) 'BEGIN { exit !(b - a < t) }'; do
    if [[ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$BASE/health/ready")" == 200 ]]; then
        ready_at=$(now)
        break
    fi
    sleep 0.1
done
wait "$WRK_PID" || true
WRK_PID=""
kill "$PROBE_PID" 2>/dev/null || true
wait "$PROBE_PID" 2>/dev/null || true
PROBE_PID=""
log_lines_after=$(wc -l <"$BENCH_WORK/payara.log")
hooks=$(cat "$BENCH_WORK/wrk.out")
drain=$(wait_drained "$WORKFLOW_ID" "$DRAIN_TIMEOUT") || true
# the probe's webhooks count too: their 202s name runs like wrk's
awk -F'\t' '$2 == "hook" && $3 == 202 { print $7 }' "$BENCH_WORK/probe.tsv" >"$BENCH_WORK/answers-probe.txt"
check=$(check_runs "$WORKFLOW_ID" "$BENCH_WORK/answers")

# the scheduler: a run of the scheduled workflow queued after PostgreSQL came back, SUCCEEDED
scheduled_after=0
deadline=$((SECONDS + SCHEDULE_TIMEOUT))
while ((SECONDS < deadline)); do
    scheduled_after=$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$SCHEDULED_ID'
                              AND status = 'SUCCEEDED' AND queued_at >= to_timestamp($start_end)")
    [[ "$scheduled_after" != 0 ]] && break
    sleep 1
done
scheduled=$(sql -c "SELECT coalesce(string_agg(status || ':' || n, ',' ORDER BY status), '-')
                    FROM (SELECT status, count(*) n FROM workflow_runs WHERE workflow_id = '$SCHEDULED_ID' GROUP BY status) s")

# probe.tsv: sent target status seconds retry-after content-type detail. The outage proper: from 1 s after the stop
# returned to the start.
down_from=$(awk -v t="$stop_end" 'BEGIN { printf "%.3f", t + 1 }')
probe_stats() { # TARGETS FROM TO: counts by status, answers with Retry-After, problem+json, service-unavailable type, max s
    awk -F'\t' -v targets=" $1 " -v from="$2" -v to="$3" '
        index(targets, " " $2 " ") && $1 >= from && $1 < to {
            n++; by[$3]++; if ($4 > max) max = $4
            if ($5 != "-") retry++
            if ($6 ~ /problem\+json/) problem++
            if ($7 ~ /problems\/service-unavailable$/) typed++
        }
        END { s = ""; for (k in by) s = s (s == "" ? "" : ",") k ":" by[k]
              printf "n=%d statuses=%s retry_after=%d problem=%d typed=%d max_s=%.2f\n", n, s == "" ? "-" : s, retry, problem, typed, max }' \
        "$BENCH_WORK/probe.tsv"
}
# count_status STATUS "S:N,S:N...": the sum of N for STATUS (wrk gives one S:N per thread)
count_status() { awk -F, -v s="$1" '{ for (i = 1; i <= NF; i++) { split($i, p, ":"); if (p[1] == s) t += p[2] } } END { print t + 0 }' <<<"$2"; }
live_down=$(probe_stats live "$down_from" "$start_begin")
ready_down=$(probe_stats ready "$down_from" "$start_begin")
calls_down=$(probe_stats "api list hook" "$down_from" "$start_begin")
after_from=$(awk -v t="${ready_at:-$start_end}" 'BEGIN { printf "%.3f", t + 2 }')
calls_after=$(probe_stats "api list hook" "$after_from" 9999999999)
hooks_all=$(probe_stats hook 0 9999999999)
wrk_other=$(field other_statuses "$hooks")
wrk_503=$(count_status 503 "$wrk_other"); wrk_503=${wrk_503:-0}
probe_202=$(count_status 202 "$(field statuses "$hooks_all")"); probe_202=${probe_202:-0}
probe_503=$(count_status 503 "$(field statuses "$hooks_all")"); probe_503=${probe_503:-0}
wrk_bad=$(( $(field other "$hooks") - wrk_503 ))
probe_bad=$(( $(field n "$hooks_all") - probe_202 - probe_503 ))
socket_errors=$(( $(field connect_errors "$hooks") + $(field read_errors "$hooks") + $(field write_errors "$hooks") + $(field timeouts "$hooks") ))
# the server log during the outage and the recovery
sed -n "$((log_lines_before + 1)),${log_lines_after}p" "$BENCH_WORK/payara.log" | sed -E 's/\x1b\[[0-9;]*m//g' >"$BENCH_WORK/outage.log"
log_records=$(grep -E -c '(WARNING|SEVERE)' "$BENCH_WORK/outage.log" || true)
log_severe=$(grep -c 'SEVERE' "$BENCH_WORK/outage.log" || true)
log_traces=$(grep -E -c '^\s+at [a-z]' "$BENCH_WORK/outage.log" || true)
# the steady outage: records stamped from BURST_SECONDS after the stop to the start, and the stack-trace lines under them
steady_from=$(date -u -d "@$(awk -v t="$stop_end" -v b="$BURST_SECONDS" 'BEGIN { printf "%.3f", t + b }')" +%FT%T.%3N)
steady_to=$(date -u -d "@$start_begin" +%FT%T.%3N)
read -r steady_records steady_traces < <(awk -v from="$steady_from" -v to="$steady_to" '
    /^\[20[0-9][0-9]-/ { stamp = substr($0, 2, 23); inside = stamp >= from && stamp < to
                          if (inside && $0 ~ /\[(WARNING|SEVERE)\]/) records++ }
    inside && /^\s+at [a-z]/ { traces++ }
    END { print records + 0, traces + 0 }' "$BENCH_WORK/outage.log")
recover="never (within $((READY_LIMIT * 6)) s)"
[[ -n "$ready_at" ]] && recover="$(elapsed "$start_end" "$ready_at") s"

pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
failures=0
n_calls=$(field n "$calls_down")
cat <<REPORT

== database outage ($(nproc) cores; PostgreSQL down $(elapsed "$stop_end" "$start_begin") s; lease $LEASE_SECONDS s; workflow concurrencyLimit $CONCURRENCY) ==
load          wrk $CONNECTIONS connections for $LOAD_SECONDS s: $(field accepted "$hooks") answered 202 ($(field duplicates "$hooks") duplicates), $wrk_503 answered 503, other non-202 $wrk_bad ($wrk_other), socket errors connect/read/write/timeout $(field connect_errors "$hooks")/$(field read_errors "$hooks")/$(field write_errors "$hooks")/$(field timeouts "$hooks"); p99 $(field p99_ms "$hooks") ms, max $(field max_ms "$hooks") ms
probe         webhooks $(field statuses "$hooks_all"); during the outage: live $(field statuses "$live_down"), ready $(field statuses "$ready_down"), API and webhooks $(field statuses "$calls_down") (Retry-After on $(field retry_after "$calls_down"), problem+json $(field problem "$calls_down"), service-unavailable $(field typed "$calls_down"), slowest $(field max_s "$calls_down") s)
              from 2 s after ready: $(field statuses "$calls_after") (slowest $(field max_s "$calls_after") s)
stop/start    stop -m fast took $(elapsed "$stop_begin" "$stop_end") s, start $(elapsed "$start_begin" "$start_end") s; ready again $recover after PostgreSQL was started
runs          $(field runs "$check") in the database ($(field statuses "$check")); drained $drain s after the load; $(field retaken "$check") taken over (attempt > 1); unanswered $(field unanswered "$check"); failed steps $(field failed_steps "$check")
              trigger to finish p50 $(field t2f_p50_ms "$check") ms, p99 $(field t2f_p99_ms "$check") ms
schedule      scheduled runs $scheduled; $scheduled_after SUCCEEDED fired after the start
server log    during the outage and recovery: $log_records WARNING/SEVERE records ($log_severe SEVERE), $log_traces stack-trace lines ($BENCH_WORK/outage.log);
              of which from $BURST_SECONDS s after the stop to the start: $steady_records records, $steady_traces stack-trace lines
REPORT
live_up=$(count_status 200 "$(field statuses "$live_down")"); live_up=${live_up:-0}
pass "$(( $(field n "$live_down") == 0 || live_up != $(field n "$live_down") ))" \
    "liveness UP during the outage ($(field statuses "$live_down"))"
ready_up_down=$(count_status 200 "$(field statuses "$ready_down")"); ready_up_down=${ready_up_down:-0}
pass "$(( $(field n "$ready_down") == 0 || ready_up_down > 0 ))" "readiness DOWN during the outage ($(field statuses "$ready_down"))"
calls_503=$(count_status 503 "$(field statuses "$calls_down")"); calls_503=${calls_503:-0}
pass "$(( n_calls == 0 || calls_503 != n_calls || $(field retry_after "$calls_down") != n_calls || $(field problem "$calls_down") != n_calls || $(field typed "$calls_down") != n_calls ))" \
    "API calls and webhooks during the outage: 503 problem+json service-unavailable with Retry-After ($calls_503 of $n_calls)"
pass "$(awk -v m="$(field max_s "$calls_down")" -v l="$ANSWER_LIMIT" 'BEGIN { print (m > l) ? 1 : 0 }')" \
    "no call hung during the outage (slowest $(field max_s "$calls_down") s, limit $ANSWER_LIMIT s)"
pass "$(( wrk_bad + probe_bad + socket_errors ))" \
    "webhooks answered only 202 or 503: wrk $(field accepted "$hooks") x 202, $wrk_503 x 503; probe $probe_202 x 202, $probe_503 x 503; other $((wrk_bad + probe_bad)), socket errors $socket_errors"
pass "$([[ -n "$ready_at" ]] && awk -v a="$start_end" -v b="$ready_at" -v l="$READY_LIMIT" 'BEGIN { print (b - a > l) ? 1 : 0 }' || echo 1)" \
    "readiness UP again $recover after PostgreSQL started (limit $READY_LIMIT s)"
calls_after_n=$(field n "$calls_after")
calls_after_ok=$(awk -F, '{ for (i = 1; i <= NF; i++) { split($i, p, ":"); if (p[1] ~ /^2/) s += p[2] } } END { print s + 0 }' <<<"$(field statuses "$calls_after")")
pass "$(( calls_after_n == 0 || calls_after_ok != calls_after_n ))" \
    "after recovery every API call and webhook answered 2xx: the pool replaced its dead connections ($(field statuses "$calls_after"))"
pass "$(( $(field missing "$check") + $(field not_succeeded "$check") ))" \
    "every 202 names a run that SUCCEEDED: $(field answered "$check") answered, $(field distinct "$check") distinct, $(field missing "$check") missing, $(field not_succeeded "$check") not SUCCEEDED"
# wrk sends its signed requests again once it has sent them all (many go fast as 503s): a delivery id sent again is
# answered 202 with the same run id and "duplicate": true, which is right; any other repeated run id is not
repeated=$(( $(field answered "$check") - $(field distinct "$check") ))
pass "$(( repeated > $(field duplicates "$hooks") ))" \
    "no run answered twice for two deliveries: $repeated repeated run ids, $(field duplicates "$hooks") answers marked duplicate (a delivery id sent again)"
pass "$(( $(field open "$check") + $(field bad "$check") ))" \
    "the engine resumed: nothing left QUEUED/RUNNING ($(field open "$check")), nothing FAILED/CANCELED/DEAD_LETTERED ($(field bad "$check")); drained in $drain s"
pass "$(field twice "$check")" "no (run, node) with two SUCCEEDED steps ($(field twice "$check"))"
pass "$(( scheduled_after == 0 ))" "the scheduler resumed: $scheduled_after scheduled run(s) fired after the start SUCCEEDED"
pass "$(( steady_records > LOG_LIMIT || steady_traces > 0 ))" \
    "quiet log while down: $steady_records WARNING/SEVERE records (limit $LOG_LIMIT), $steady_traces stack-trace lines, from $BURST_SECONDS s after the stop to the start"
report_server_log
exit $((failures > 0))
