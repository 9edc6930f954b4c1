#!/usr/bin/env bash
# A rolling restart: two Payara Micro instances (a, b) on one database behind HAProxy (started here, in the
# foreground, with a generated configuration: health check on /health/ready, retries on connection failures with
# redispatch to the other server), under continuous signed webhook load through the load balancer. Each instance in
# turn is drained in HAProxy (runtime API on a stats socket: state maint, then wait until no request is in progress
# on it), stopped with SIGTERM (the engine stops claiming, lets steps finish for flowline.engine.shutdown-seconds and
# gives the other runs back), started again, and put back (state ready; HAProxy's check sees it up). Checks that no
# webhook was refused (5xx or other) or lost, that every accepted webhook ended as exactly one SUCCEEDED run, that the
# runs in flight at each stop finished (on either instance) and that each instance stopped by itself in time.
#
#   bench/rolling-restart.sh          (as root: installs haproxy if missing, starts PostgreSQL's cluster main if
#                                      down, recreates the database)
#
# The workflow: trigger.webhook -> call (http.request to bench/lib/slow-receiver.py, answered after DELAY_MS) ->
# pause (flow.delay PAUSE_SECONDS) -> set (data.set). bench/lib/post-webhooks.py sends RATE webhooks a second through
# the load balancer from WARMUP seconds before the first restart to SETTLE seconds after the second.
# Settings (environment, defaults shown): PORT_A=8380 PORT_B=8381 LB_PORT=8400 RECEIVER_PORT=8391
#   BENCH_DB=flowline_roll BENCH_DB_USER=flowline_roll RATE=5 DELAY_MS=500 PAUSE_SECONDS=1 SHUTDOWN_SECONDS=10
#   LEASE_SECONDS=30 WARMUP=10 SETTLE=10 DRAIN_TIMEOUT=600 ENGINE_OPTS="" (more JVM options), and those of
#   bench/lib/common.sh (FLOWLINE_WAR, MICRO_JAR, BENCH_WORK, ...).
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/rolling-restart}"
PORT_A="${PORT_A:-8380}"
PORT_B="${PORT_B:-8381}"
LB_PORT="${LB_PORT:-8400}"
BENCH_PORT="$PORT_A"
BENCH_DB="${BENCH_DB:-flowline_roll}"
BENCH_DB_USER="${BENCH_DB_USER:-flowline_roll}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_roll}"
PUBLIC_BASE="http://127.0.0.1:$LB_PORT" # what the API answers as the webhook's URL: the load balancer
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/instances.sh"

RECEIVER_PORT="${RECEIVER_PORT:-8391}"
RATE="${RATE:-5}"
DELAY_MS="${DELAY_MS:-500}"
PAUSE_SECONDS="${PAUSE_SECONDS:-1}"
SHUTDOWN_SECONDS="${SHUTDOWN_SECONDS:-10}"
LEASE_SECONDS="${LEASE_SECONDS:-30}"
WARMUP="${WARMUP:-10}"
SETTLE="${SETTLE:-10}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-600}"
RECEIVER="http://127.0.0.1:$RECEIVER_PORT/receive"
DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"call","type":"http.request","params":{"url":"'"$RECEIVER"'","method":"POST","body":{"n":"{{input.n}}"}}},
  {"id":"pause","type":"flow.delay","params":{"seconds":'"$PAUSE_SECONDS"'}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],
  "edges":[{"from":"hook","to":"call"},{"from":"call","to":"pause"},{"from":"pause","to":"set"}]}'
ENGINE=(-Dflowline.engine.lease-seconds="$LEASE_SECONDS" -Dflowline.engine.shutdown-seconds="$SHUTDOWN_SECONDS"
        -Dflowline.engine.http.allowed-networks=127.0.0.1/32)
LB_DIR="$BENCH_WORK/haproxy"
SOCKET="$LB_DIR/admin.sock"

RECEIVER_PID=""
SENDER_PID=""
LB_PID=""
cleanup() {
    for pid in "$SENDER_PID" "$RECEIVER_PID"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    stop_all_instances
    [[ -n "$LB_PID" ]] && kill "$LB_PID" 2>/dev/null || true
}

# lb COMMAND: one command to HAProxy's runtime API; prints the answer
lb() {
    python3 - "$SOCKET" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(s.makefile().read(), end="")
PY
}
# lb_field SERVER COLUMN: a column of `show stat` for the server (5 scur: requests in progress; 18 status)
lb_field() { lb "show stat" | awk -F, -v s="$1" -v c="$2" '$1 == "flowline" && $2 == s { print $c }'; }

start_balancer() {
    command -v haproxy >/dev/null || { log "installing haproxy"; apt-get install -y -q haproxy >/dev/null || die "no haproxy"; }
    mkdir -p "$LB_DIR"
    cat >"$LB_DIR/haproxy.cfg" <<CFG
global
    stats socket $SOCKET mode 600 level admin
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # a request that could not reach its server (refused, reset before it was sent) goes to the other one; a
    # request already sent is never sent again by the balancer (a webhook is not idempotent for HAProxy)
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend webhooks
    bind 127.0.0.1:$LB_PORT
    default_backend flowline
backend flowline
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    server a 127.0.0.1:$PORT_A check
    server b 127.0.0.1:$PORT_B check
CFG
    haproxy -db -f "$LB_DIR/haproxy.cfg" >"$LB_DIR/haproxy.log" 2>&1 &
    LB_PID=$!
    for _ in $(seq 1 50); do [[ -S "$SOCKET" ]] && break; sleep 0.1; done
    [[ -S "$SOCKET" ]] || { cat "$LB_DIR/haproxy.log" >&2; die "haproxy did not start"; }
    log "haproxy on 127.0.0.1:$LB_PORT (pid $LB_PID, config $LB_DIR/haproxy.cfg)"
}

# wait_lb_status SERVER STATUS: until HAProxy reports it (UP after its checks pass; MAINT)
wait_lb_status() {
    local deadline=$((SECONDS + 60))
    until [[ "$(lb_field "$1" 18)" == "$2"* ]]; do
        ((SECONDS < deadline)) || die "haproxy never reported $1 $2 (it says $(lb_field "$1" 18))"
        sleep 0.2
    done
}

running_on() {
    sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' AND status = 'RUNNING'
            AND leased_by LIKE '$1#%'"
}

# restart NAME PORT: the procedure of README.md "A rolling restart", timed; appends a line to $BENCH_WORK/restarts
restart() {
    local name=$1 port=$2 t0 t_drained t_stopped t_ready t_back owner in_progress held pid
    owner=$(engine_owner "$name")
    t0=$(now)
    lb "set server flowline/$name state maint" >/dev/null
    local deadline=$((SECONDS + 30))
    while in_progress=$(lb_field "$name" 5) && [[ "$in_progress" != 0 ]]; do
        ((SECONDS < deadline)) || break
        sleep 0.1
    done
    t_drained=$(now)
    held=$(running_on "$owner")
    sql -c "COPY (SELECT id FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' AND status = 'RUNNING'
                  AND leased_by LIKE '$owner#%') TO STDOUT" >>"$BENCH_WORK/in-flight-at-stop.txt"
    pid=${INSTANCE_PID[$name]}
    local lines
    lines=$(wc -l <"$BENCH_WORK/$name.log")
    kill -TERM "$pid"
    local stop_deadline=$((SECONDS + SHUTDOWN_SECONDS + 50)) killed=0
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= stop_deadline)); then kill -9 "$pid"; killed=1; break; fi
        sleep 0.1
    done
    t_stopped=$(now)
    INSTANCE_PID[$name]=""
    local gave
    gave=$(tail -n +"$((lines + 1))" "$BENCH_WORK/$name.log" | sed -nE 's/.*gave ([0-9]+) unfinished runs back.*/\1/p' | head -1)
    echo "===== restarted =====" >>"$BENCH_WORK/$name.log"
    # shellcheck disable=SC2086
    start_instance "$name" "$port" "${ENGINE[@]}" ${ENGINE_OPTS:-}
    wait_instance_ready "$name"
    t_ready=$(now)
    lb "set server flowline/$name state ready" >/dev/null
    wait_lb_status "$name" UP
    t_back=$(now)
    echo "$name drained=$(elapsed "$t0" "$t_drained") in_progress_left=$in_progress running=$held stopped=$(elapsed "$t_drained" "$t_stopped") killed=$killed gave_back=${gave:-0} ready=$(elapsed "$t_stopped" "$t_ready") back=$(elapsed "$t_ready" "$t_back") total=$(elapsed "$t0" "$t_back")" \
        >>"$BENCH_WORK/restarts"
    log "restarted $name: $(tail -1 "$BENCH_WORK/restarts")"
}

require_tools
for port in "$PORT_B" "$LB_PORT" "$RECEIVER_PORT"; do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && die "something already listens on 127.0.0.1:$port"
done
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap cleanup EXIT
fresh_database
python3 "$BENCH_DIR/lib/slow-receiver.py" --port "$RECEIVER_PORT" --delay-ms "$DELAY_MS" \
    --log "$BENCH_WORK/received.txt" 2>"$BENCH_WORK/receiver.log" &
RECEIVER_PID=$!
# shellcheck disable=SC2086
start_instance a "$PORT_A" "${ENGINE[@]}" ${ENGINE_OPTS:-}
# shellcheck disable=SC2086
start_instance b "$PORT_B" "${ENGINE[@]}" ${ENGINE_OPTS:-} # Liquibase's lock lets one of them migrate
wait_instance_ready a
wait_instance_ready b
start_balancer
wait_lb_status a UP
wait_lb_status b UP
sign_in
create_workflow "bench rolling restart" "$DEFINITION" 100
HOOK_LB="http://127.0.0.1:$LB_PORT$HOOK_PATH"

log "webhooks at $RATE/s through the load balancer"
rm -f "$BENCH_WORK/stop-load"
python3 "$BENCH_DIR/lib/post-webhooks.py" --secret "$HOOK_SECRET" --url "$HOOK_LB" --rate "$RATE" \
    --stop-file "$BENCH_WORK/stop-load" --connections 16 --timeout 60 --delivery-prefix "roll-$(date +%s)" \
    --out "$BENCH_WORK/answers.tsv" &
SENDER_PID=$!
load_start=$(now)
sleep "$WARMUP"
restart a "$PORT_A"
restart b "$PORT_B"
sleep "$SETTLE"
touch "$BENCH_WORK/stop-load"
wait "$SENDER_PID" || true
SENDER_PID=""
load_end=$(now)
drain=$(wait_drained "$WORKFLOW_ID" "$DRAIN_TIMEOUT") || true

awk -F'\t' '$3 == 202 || $3 == 200 { print $4 }' "$BENCH_WORK/answers.tsv" >"$BENCH_WORK/answers-1.txt"
check=$(check_runs "$WORKFLOW_ID" "$BENCH_WORK/answers")
sent=$(wc -l <"$BENCH_WORK/answers.tsv")
refused=$(awk -F'\t' '$3 != 202 && $3 != 200' "$BENCH_WORK/answers.tsv" | wc -l)
refused_kinds=$(awk -F'\t' '$3 != 202 && $3 != 200 { print $3 }' "$BENCH_WORK/answers.tsv" | sort | uniq -c \
    | awk '{ printf "%s%s:%s", (NR > 1 ? "," : ""), $2, $1 }')
latency=$(awk -F'\t' '{ print $5 }' "$BENCH_WORK/answers.tsv" | sort -n | awk '{ v[NR] = $1 }
    END { if (NR) printf "p50 %.0f ms, p99 %.0f ms, max %.0f ms", v[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], v[NR] }')
touch "$BENCH_WORK/in-flight-at-stop.txt"
flight=$(sql <<SQL
CREATE TEMP TABLE flight (id uuid);
\copy flight FROM '$BENCH_WORK/in-flight-at-stop.txt'
SELECT concat_ws(' ',
    'in_flight=' || (SELECT count(*) FROM flight),
    'finished=' || (SELECT count(*) FROM flight f JOIN workflow_runs r ON r.id = f.id WHERE r.status = 'SUCCEEDED'),
    'retaken=' || (SELECT count(*) FROM flight f JOIN workflow_runs r ON r.id = f.id WHERE r.takeovers > 0));
SQL
)
killed=$(grep -c 'killed=1' "$BENCH_WORK/restarts" || true)

pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
failures=0
answered=$(field answered "$check")
cat <<REPORT

== rolling restart ($(nproc) cores; $RATE webhooks/s through HAProxy for $(elapsed "$load_start" "$load_end") s; shutdown-seconds $SHUTDOWN_SECONDS; receiver delay $DELAY_MS ms; delay node $PAUSE_SECONDS s) ==
load          $sent webhooks sent, $answered answered 2xx, $refused not ($refused_kinds); answer time $latency
REPORT
sed 's/^/restart       /' "$BENCH_WORK/restarts"
cat <<REPORT
              (seconds: drained = maint until no request in progress on it; stopped = SIGTERM to exit; ready = start to /health/ready; back = ready to UP in HAProxy)
runs          $(field runs "$check") ($(field statuses "$check")); queue drained $drain s after the load; running on the stopped instance at SIGTERM $(field in_flight "$flight"), of them SUCCEEDED $(field finished "$flight"), taken over after a lease expiry $(field retaken "$flight")
              trigger to finish p50 $(field t2f_p50_ms "$check") ms, p99 $(field t2f_p99_ms "$check") ms
REPORT
pass "$refused" "no webhook refused or lost through the load balancer ($refused of $sent: ${refused_kinds:--})"
pass "$(( $(field missing "$check") + $(field not_succeeded "$check") + $(field open "$check") + $(field bad "$check") ))" \
    "every accepted webhook ended as a SUCCEEDED run: $answered answered, $(field missing "$check") missing, $(field not_succeeded "$check") not SUCCEEDED, $(field open "$check") open, $(field bad "$check") failed"
pass "$(( answered - $(field distinct "$check") + $(field unanswered "$check") ))" \
    "exactly one run per accepted webhook ($(field distinct "$check") distinct run ids, $(field runs "$check") runs, $(field unanswered "$check") without an answer)"
pass "$(field twice "$check")" "no (run, node) with two SUCCEEDED steps ($(field twice "$check"))"
pass "$(( $(field in_flight "$flight") - $(field finished "$flight") ))" \
    "the runs in flight at each SIGTERM finished ($(field finished "$flight") of $(field in_flight "$flight"))"
pass "$(field retaken "$flight")" \
    "none of them waited for its lease to expire: finished or given back at shutdown ($(field retaken "$flight") taken over)"
pass "$killed" "each instance stopped by itself after SIGTERM, within shutdown-seconds + 50 s ($killed killed)"
for name in a b; do
    severe=$(grep -c 'SEVERE' "$BENCH_WORK/$name.log" || true)
    warning=$(grep -E -c 'WARNING.*dev\.flowline' "$BENCH_WORK/$name.log" || true)
    echo "log of $name: $severe SEVERE records, $warning WARNING records from dev.flowline ($BENCH_WORK/$name.log)"
done
exit $((failures > 0))
