#!/usr/bin/env bash
# A frozen instance: two Payara Micro instances (a, b) on one database run webhook runs whose HTTP steps go to a slow
# local receiver; instance a gets SIGSTOP while it holds leases, for longer than the lease; b takes its runs over and
# finishes them; a gets SIGCONT. Checks that a wrote nothing to the runs it lost (no step of its attempt, no second
# SUCCEEDED step, no dead letter), that only the HTTP step in flight at the freeze reached the receiver twice (with the
# same Idempotency-Key), that a goes on serving (ready, API, new runs it executes itself), and that every accepted
# webhook ended as exactly one SUCCEEDED run. Prints PASS/FAIL lines; exit status 1 on a FAIL.
#
#   bench/frozen-instance.sh          (as root: starts PostgreSQL's cluster main if down, recreates the database)
#
# The workflow: trigger.webhook -> call (http.request, POST to bench/lib/slow-receiver.py, answered after DELAY_MS)
# -> pause (flow.delay PAUSE_SECONDS) -> call2 (http.request) -> set (data.set). Payara Micro runs with
# flowline.engine.lease-seconds=LEASE_SECONDS. bench/lib/post-webhooks.py sends RUNS_BEFORE signed webhooks at RATE/s
# to a and b in turn; once a holds at least MIN_HELD leases of runs whose HTTP step reached the receiver, a is stopped for FREEZE_SECONDS; after SIGCONT,
# RUNS_AFTER webhooks go to a alone. Then the queue drains and the database and the receiver's log are compared.
# Settings (environment, defaults shown): PORT_A=8380 PORT_B=8381 RECEIVER_PORT=8390 BENCH_DB=flowline_roll
#   BENCH_DB_USER=flowline_roll LEASE_SECONDS=10 FREEZE_SECONDS=LEASE_SECONDS+3 (the runs b took
#   over are then parked on their delay, due soon: a may lease them again) DELAY_MS=1500 PAUSE_SECONDS=3 RUNS_BEFORE=80
#   RUNS_AFTER=30 RATE=10 MIN_HELD=3 DRAIN_TIMEOUT=240 ENGINE_OPTS="" (more JVM options), and those of
#   bench/lib/common.sh (FLOWLINE_WAR, MICRO_JAR, BENCH_WORK, ...).
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/frozen-instance}"
PORT_A="${PORT_A:-8380}"
PORT_B="${PORT_B:-8381}"
BENCH_PORT="$PORT_A"
BENCH_DB="${BENCH_DB:-flowline_roll}"
BENCH_DB_USER="${BENCH_DB_USER:-flowline_roll}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_roll}"
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_DIR/lib/instances.sh"

RECEIVER_PORT="${RECEIVER_PORT:-8390}"
LEASE_SECONDS="${LEASE_SECONDS:-10}"
FREEZE_SECONDS="${FREEZE_SECONDS:-$((LEASE_SECONDS + 3))}"
DELAY_MS="${DELAY_MS:-1500}"
PAUSE_SECONDS="${PAUSE_SECONDS:-3}"
RUNS_BEFORE="${RUNS_BEFORE:-80}"
RUNS_AFTER="${RUNS_AFTER:-30}"
RATE="${RATE:-10}"
MIN_HELD="${MIN_HELD:-3}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-240}"
RECEIVER="http://127.0.0.1:$RECEIVER_PORT/receive"
DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"call","type":"http.request","params":{"url":"'"$RECEIVER"'","method":"POST","body":{"n":"{{input.n}}"}}},
  {"id":"pause","type":"flow.delay","params":{"seconds":'"$PAUSE_SECONDS"'}},
  {"id":"call2","type":"http.request","params":{"url":"'"$RECEIVER"'","method":"POST","body":{"n":"{{input.n}}"}}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],
  "edges":[{"from":"hook","to":"call"},{"from":"call","to":"pause"},{"from":"pause","to":"call2"},
           {"from":"call2","to":"set"}]}'
ENGINE=(-Dflowline.engine.lease-seconds="$LEASE_SECONDS" -Dflowline.engine.http.allowed-networks=127.0.0.1/32)

RECEIVER_PID=""
SENDER_PID=""
SAMPLER_PID=""
cleanup() {
    for pid in "$SENDER_PID" "$SAMPLER_PID" "$RECEIVER_PID"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    [[ -n "${INSTANCE_PID[a]:-}" ]] && kill -CONT "${INSTANCE_PID[a]}" 2>/dev/null || true
    stop_all_instances
}

require_tools
curl -s -o /dev/null "http://127.0.0.1:$PORT_B/" && die "something already listens on 127.0.0.1:$PORT_B (set PORT_B)"
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
trap cleanup EXIT
fresh_database
touch "$BENCH_WORK/received.txt"
python3 "$BENCH_DIR/lib/slow-receiver.py" --port "$RECEIVER_PORT" --delay-ms "$DELAY_MS" \
    --log "$BENCH_WORK/received.txt" 2>"$BENCH_WORK/receiver.log" &
RECEIVER_PID=$!
# shellcheck disable=SC2086
start_instance a "$PORT_A" "${ENGINE[@]}" ${ENGINE_OPTS:-}
# shellcheck disable=SC2086
start_instance b "$PORT_B" "${ENGINE[@]}" ${ENGINE_OPTS:-} # Liquibase's lock lets one of them migrate
wait_instance_ready a
wait_instance_ready b
OWNER_A=$(engine_owner a)
OWNER_B=$(engine_owner b)
[[ -n "$OWNER_A" && -n "$OWNER_B" && "$OWNER_A" != "$OWNER_B" ]] || die "no distinct engine names in the logs"
log "engines: a is $OWNER_A, b is $OWNER_B"
sign_in
create_workflow "bench frozen instance" "$DEFINITION" 100
HOOK_A="http://127.0.0.1:$PORT_A$HOOK_PATH"
HOOK_B="http://127.0.0.1:$PORT_B$HOOK_PATH"

# every half second, the running runs and who holds them (who ran what, and when)
(
    while :; do
        sql -c "COPY (SELECT extract(epoch FROM clock_timestamp()), id, leased_by, attempt FROM workflow_runs
                      WHERE workflow_id = '$WORKFLOW_ID' AND status = 'RUNNING') TO STDOUT" 2>/dev/null || true
        sleep 0.5
    done
) >"$BENCH_WORK/leases.tsv" &
SAMPLER_PID=$!

log "$RUNS_BEFORE webhooks at $RATE/s to a and b in turn"
python3 "$BENCH_DIR/lib/post-webhooks.py" --secret "$HOOK_SECRET" --url "$HOOK_A" --url "$HOOK_B" --rate "$RATE" \
    --count "$RUNS_BEFORE" --connections 8 --timeout 120 --delivery-prefix "frozen-$(date +%s)" \
    --out "$BENCH_WORK/answers.tsv" &
SENDER_PID=$!

held_by_a() {
    sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' AND status = 'RUNNING'
            AND leased_by LIKE '$OWNER_A#%'"
}
# runs a holds whose first HTTP request reached the receiver (in flight: answered after DELAY_MS)
calling_on_a() {
    sql -c "SELECT id || ':call' FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID' AND status = 'RUNNING'
            AND leased_by LIKE '$OWNER_A#%'" | grep -c -F -x -f - "$BENCH_WORK/received.txt" || true
}
deadline=$((SECONDS + 90))
until (($(calling_on_a) >= MIN_HELD)); do
    ((SECONDS < deadline)) || die "a never held $MIN_HELD leases of runs calling the receiver"
    sleep 0.1
done
kill -STOP "${INSTANCE_PID[a]}"
frozen_at=$(now)
log "SIGSTOP to a while it holds $(held_by_a) leases"
sleep 1 # a commit a sent before the stop lands now; a writes nothing more while stopped
# what a held, and the steps those runs had, at the freeze
sql -c "COPY (SELECT id, attempt, leased_by FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID'
              AND status = 'RUNNING' AND leased_by LIKE '$OWNER_A#%') TO STDOUT" >"$BENCH_WORK/held.tsv"
sql -c "COPY (SELECT s.run_id, s.node_id, s.status, s.attempt FROM workflow_run_steps s JOIN workflow_runs r
              ON r.id = s.run_id WHERE r.workflow_id = '$WORKFLOW_ID') TO STDOUT" >"$BENCH_WORK/steps-at-freeze.tsv"
held=$(wc -l <"$BENCH_WORK/held.tsv")
received_at_freeze=$(wc -l <"$BENCH_WORK/received.txt")

# b takes them over once their leases expire
taken_all_at=""
while awk -v a="$frozen_at" -v b="$(now)" -v t="$FREEZE_SECONDS" 'BEGIN { exit !(b - a < t) }'; do
    if [[ -z "$taken_all_at" ]]; then
        still=$(sql <<SQL
CREATE TEMP TABLE held (id uuid, attempt int, leased_by text);
\copy held FROM '$BENCH_WORK/held.tsv'
SELECT count(*) FROM held h JOIN workflow_runs r ON r.id = h.id WHERE r.leased_by = h.leased_by;
SQL
)
        [[ "$still" == 0 ]] && taken_all_at=$(now) && log "every run a held was taken over"
    fi
    sleep 0.2
done
at_cont=$(sql <<SQL
CREATE TEMP TABLE held (id uuid, attempt int, leased_by text);
\copy held FROM '$BENCH_WORK/held.tsv'
SELECT concat_ws(' ',
    'taken=' || (SELECT count(*) FROM held h JOIN workflow_runs r ON r.id = h.id
                 WHERE r.leased_by IS DISTINCT FROM h.leased_by AND (r.attempt > h.attempt OR r.status <> 'RUNNING')),
    'by_b=' || (SELECT count(*) FROM held h JOIN workflow_runs r ON r.id = h.id WHERE r.leased_by LIKE '$OWNER_B#%'),
    'succeeded=' || (SELECT count(*) FROM held h JOIN workflow_runs r ON r.id = h.id WHERE r.status = 'SUCCEEDED'),
    'parked=' || (SELECT count(*) FROM held h JOIN workflow_runs r ON r.id = h.id WHERE r.status = 'QUEUED'));
SQL
)
kill -CONT "${INSTANCE_PID[a]}"
continued_at=$(now)
log "SIGCONT to a after $(elapsed "$frozen_at" "$continued_at") s; the runs a held: $at_cont"

# a goes on serving: readiness and the API at once, then new runs
ready_status="" api_status=""
for _ in $(seq 1 50); do
    ready_status=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$PORT_A/health/ready" || true)
    [[ "$ready_status" == 200 ]] && break
    sleep 0.2
done
answered_after=$(elapsed "$continued_at" "$(now)")
api_status=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT_A/api/v1/workspaces/$WORKSPACE/runs?limit=5" || true)
wait "$SENDER_PID" || true
SENDER_PID=""
log "$RUNS_AFTER webhooks at $RATE/s to a alone"
python3 "$BENCH_DIR/lib/post-webhooks.py" --secret "$HOOK_SECRET" --url "$HOOK_A" --rate "$RATE" \
    --count "$RUNS_AFTER" --first "$RUNS_BEFORE" --connections 4 --timeout 60 --delivery-prefix "frozen-after" \
    --out "$BENCH_WORK/answers-after.tsv"
drain=$(wait_drained "$WORKFLOW_ID" "$DRAIN_TIMEOUT") || true
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

cat "$BENCH_WORK/answers.tsv" "$BENCH_WORK/answers-after.tsv" >"$BENCH_WORK/answers-all.tsv"
awk -F'\t' '$3 == 202 || $3 == 200 { print $4 }' "$BENCH_WORK/answers-all.tsv" >"$BENCH_WORK/answers-1.txt"
check=$(check_runs "$WORKFLOW_ID" "$BENCH_WORK/answers")
not_accepted=$(awk -F'\t' '$3 != 202 && $3 != 200' "$BENCH_WORK/answers-all.tsv" | wc -l)
not_accepted_kinds=$(awk -F'\t' '$3 != 202 && $3 != 200 { print $3 }' "$BENCH_WORK/answers-all.tsv" | sort | uniq -c \
    | awk '{ printf "%s%s:%s", (NR > 1 ? "," : ""), $2, $1 }')
after_to_a=$(awk -F'\t' '$3 == 202' "$BENCH_WORK/answers-after.tsv" | wc -l)

facts=$(sql <<SQL
CREATE TEMP TABLE held (id uuid, attempt int, leased_by text);
\copy held FROM '$BENCH_WORK/held.tsv'
CREATE TEMP TABLE frozen_steps (run_id uuid, node_id text, status text, attempt int);
\copy frozen_steps FROM '$BENCH_WORK/steps-at-freeze.tsv'
CREATE TEMP TABLE received (key text);
\copy received FROM '$BENCH_WORK/received.txt'
CREATE TEMP TABLE leases (at float8, id uuid, leased_by text, attempt int);
\copy leases FROM '$BENCH_WORK/leases.tsv'
CREATE TEMP TABLE after_a (i int, url int, status text, run_id text, ms float8);
\copy after_a FROM '$BENCH_WORK/answers-after.tsv'
WITH counted AS (SELECT key, count(*) AS n FROM received GROUP BY key),
     runs AS (SELECT * FROM workflow_runs WHERE workflow_id = '$WORKFLOW_ID'),
     -- per run a held: the HTTP node that was in flight (the first not SUCCEEDED at the freeze), if any
     in_flight AS (SELECT h.id, CASE WHEN NOT EXISTS (SELECT 1 FROM frozen_steps f WHERE f.run_id = h.id
                                                      AND f.node_id = 'call' AND f.status = 'SUCCEEDED') THEN 'call'
                                     WHEN NOT EXISTS (SELECT 1 FROM frozen_steps f WHERE f.run_id = h.id
                                                      AND f.node_id = 'call2' AND f.status = 'SUCCEEDED') THEN 'call2'
                                END AS node
                   FROM held h),
     repeated AS (SELECT c.key, c.n, split_part(c.key, ':', 1) AS run_id, split_part(c.key, ':', 2) AS node
                  FROM counted c WHERE c.n > 1)
SELECT concat_ws(' ',
    'held=' || (SELECT count(*) FROM held),
    'held_succeeded=' || (SELECT count(*) FROM held h JOIN runs r ON r.id = h.id WHERE r.status = 'SUCCEEDED'),
    'held_retaken=' || (SELECT count(*) FROM held h JOIN runs r ON r.id = h.id WHERE r.attempt > h.attempt),
    'held_seen_by_b=' || (SELECT count(DISTINCT h.id) FROM held h JOIN leases l ON l.id = h.id
                          WHERE l.leased_by LIKE '$OWNER_B#%' AND l.at < $continued_at),
    'stale_steps=' || (SELECT count(*) FROM (SELECT s.run_id, s.node_id, s.status, s.attempt
                                             FROM workflow_run_steps s JOIN held h ON h.id = s.run_id
                                             WHERE s.attempt = h.attempt
                                             EXCEPT ALL SELECT * FROM frozen_steps) x),
    'leased_again_by_a=' || (SELECT count(DISTINCT h.id) FROM held h JOIN leases l ON l.id = h.id
                               WHERE l.leased_by LIKE '$OWNER_A#%' AND l.leased_by <> h.leased_by),
    'twice=' || (SELECT count(*) FROM (SELECT s.run_id, s.node_id FROM workflow_run_steps s JOIN runs r ON r.id = s.run_id
                                       WHERE s.status = 'SUCCEEDED' GROUP BY s.run_id, s.node_id HAVING count(*) > 1) t),
    'dead_letters=' || (SELECT count(*) FROM dead_letters WHERE workflow_id = '$WORKFLOW_ID'),
    'requests=' || (SELECT count(*) FROM received),
    'keys=' || (SELECT count(*) FROM counted),
    'repeated=' || (SELECT count(*) FROM repeated),
    'repeated_max=' || (SELECT coalesce(max(n), 0) FROM repeated),
    'repeated_in_flight=' || (SELECT count(*) FROM repeated p JOIN in_flight f ON f.id::text = p.run_id
                              AND f.node = p.node AND p.n = 2),
    'repeated_other=' || (SELECT count(*) FROM repeated p WHERE NOT EXISTS (
                              SELECT 1 FROM in_flight f WHERE f.id::text = p.run_id AND f.node = p.node AND p.n = 2)),
    'not_called=' || (SELECT count(*) FROM runs r WHERE r.status = 'SUCCEEDED' AND (
                          NOT EXISTS (SELECT 1 FROM counted c WHERE c.key = r.id || ':call')
                          OR NOT EXISTS (SELECT 1 FROM counted c WHERE c.key = r.id || ':call2'))),
    'after_runs=' || (SELECT count(*) FROM after_a WHERE status = '202'),
    'after_run_by_a=' || (SELECT count(DISTINCT a.run_id) FROM after_a a JOIN leases l ON l.id::text = a.run_id
                          WHERE l.leased_by LIKE '$OWNER_A#%'),
    'a_leased_after_cont=' || (SELECT count(DISTINCT id) FROM leases WHERE leased_by LIKE '$OWNER_A#%'
                               AND at > $continued_at));
SQL
)

pass() { if [[ "$1" == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
failures=0
answered=$(field answered "$check")
takeover_took="-"
[[ -n "$taken_all_at" ]] && takeover_took=$(elapsed "$frozen_at" "$taken_all_at")
cat <<REPORT

== frozen instance ($(nproc) cores; lease $LEASE_SECONDS s; frozen $(elapsed "$frozen_at" "$continued_at") s; receiver delay $DELAY_MS ms; delay node $PAUSE_SECONDS s) ==
load          $RUNS_BEFORE webhooks at $RATE/s to a and b in turn, then $RUNS_AFTER to a alone after SIGCONT: $answered answered 2xx, others $not_accepted (${not_accepted_kinds:--})
freeze        a held $(field held "$facts") leases at SIGSTOP (receiver had $received_at_freeze requests); all taken over $takeover_took s after SIGSTOP; at SIGCONT: $at_cont
after         a ready $answered_after s after SIGCONT (ready $ready_status, run list $api_status); $(field after_runs "$facts") new webhooks accepted by a, $(field after_run_by_a "$facts") of them seen running on a; a leased $(field a_leased_after_cont "$facts") runs after SIGCONT
              runs a held that a leased again after SIGCONT under a new claim (parked by b meanwhile): $(field leased_again_by_a "$facts")
runs          $(field runs "$check") ($(field statuses "$check")); queue drained $drain s after the load; taken over (attempt > 1) $(field retaken "$check"); trigger to finish p50 $(field t2f_p50_ms "$check") ms, p99 $(field t2f_p99_ms "$check") ms
receiver      $(field requests "$facts") requests, $(field keys "$facts") distinct Idempotency-Keys; $(field repeated "$facts") received twice or more (at most $(field repeated_max "$facts") times), $(field repeated_in_flight "$facts") of them the step in flight at the freeze
REPORT
pass "$((held == 0 ? 1 : 0))" "a held leases when it was stopped ($held, at least $MIN_HELD wanted)"
# taken over at SIGCONT: another holder and a new attempt (or already parked or finished by it); only b ran then
pass "$(( held - $(field taken "$at_cont") ))" \
    "b took over every run a held while a was stopped ($(field taken "$at_cont") of $held at SIGCONT; $(field held_seen_by_b "$facts") caught leased by b by the half-second sampler)"
pass "$(( held - $(field held_succeeded "$facts") ))" \
    "every run a held SUCCEEDED ($(field held_succeeded "$facts") of $held; attempt raised by the takeover: $(field held_retaken "$facts"))"
pass "$(field stale_steps "$facts")" \
    "a wrote no step to the runs it lost: no step of a's attempt beyond those recorded before the freeze ($(field stale_steps "$facts"))"
pass "$(field twice "$facts")" "no (run, node) with two SUCCEEDED steps ($(field twice "$facts"))"
pass "$(field dead_letters "$facts")" "no dead letter ($(field dead_letters "$facts"))"
pass "$(field repeated_other "$facts")" \
    "only the HTTP step in flight at the freeze reached the receiver twice, with the same Idempotency-Key ($(field repeated_other "$facts") other repeats)"
pass "$(field not_called "$facts")" "every SUCCEEDED run called the receiver for both HTTP nodes ($(field not_called "$facts") did not)"
pass "$(( $(field missing "$check") + $(field not_succeeded "$check") + $(field open "$check") + $(field bad "$check") ))" \
    "every accepted webhook ended as a SUCCEEDED run: $answered answered, $(field missing "$check") missing, $(field not_succeeded "$check") not SUCCEEDED, $(field open "$check") open, $(field bad "$check") failed"
pass "$(( answered - $(field distinct "$check") + $(field unanswered "$check") ))" \
    "exactly one run per accepted webhook ($(field distinct "$check") distinct run ids, $(field runs "$check") runs, $(field unanswered "$check") without an answer)"
pass "$not_accepted" "no webhook refused or unanswered ($not_accepted)"
pass "$([[ "$ready_status" == 200 && "$api_status" == 200 ]] && echo 0 || echo 1)" \
    "a serves again after SIGCONT: ready $ready_status, run list $api_status"
pass "$(( RUNS_AFTER - after_to_a + ( $(field after_run_by_a "$facts") == 0 ? 1 : 0 ) ))" \
    "a takes new runs: $after_to_a of $RUNS_AFTER webhooks accepted by a, $(field after_run_by_a "$facts") seen running on a"
for name in a b; do
    severe=$(grep -c 'SEVERE' "$BENCH_WORK/$name.log" || true)
    warning=$(grep -E -c 'WARNING.*dev\.flowline' "$BENCH_WORK/$name.log" || true)
    echo "log of $name: $severe SEVERE records, $warning WARNING records from dev.flowline ($BENCH_WORK/$name.log)"
done
exit $((failures > 0))
