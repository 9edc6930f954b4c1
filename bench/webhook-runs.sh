#!/usr/bin/env bash
# Webhook runs end to end: signed webhooks in, runs executed by the engine, measured against a plain endpoint's rate
# on the same server. Not a test: absolute figures depend on the machine (wrk, Payara and PostgreSQL share it);
# compare the ratios of one run.
#
#   bench/webhook-runs.sh            (as root: starts the machine's PostgreSQL 15, recreates the database)
#
# Starts the WAR on Payara Micro against a fresh database, signs up, and for each connection count in LEVELS creates
# a workflow `trigger.webhook -> data.set` (its own, so levels do not mix), then:
#   1. wrk POSTs pre-signed webhooks (each with its own X-Flowline-Delivery id) for DURATION seconds;
#   2. waits until the workflow has no QUEUED or RUNNING run (the drain), then reads pg_stat_database;
#   3. wrk GETs /api/v1/me with the same connections for ME_DURATION seconds (the plain endpoint);
#   4. checks every 202 against the database: each named run exists and SUCCEEDED, nothing QUEUED/RUNNING/failed.
# Settings (environment, defaults shown): LEVELS="8 32 64" DURATION=20 ME_DURATION=10 REQUESTS_PER_LEVEL=60000
#   CONCURRENCY=100 (the workflows' concurrencyLimit, 1 to 100; the API's default is 1) DRAIN_TIMEOUT=600
#   WARMUP_SECONDS=20 and WARMUP_CONNECTIONS (default: the largest of LEVELS) (webhooks and /me before the first level,
#   not counted: a fresh JVM's first seconds are slow, and each pooled database connection plans every statement for
#   its first uses until PostgreSQL settles on a cached plan: a warm-up with fewer connections than the levels leaves
#   the rest of the pool planning during the measurement, as a server running for hours does not), ENGINE_OPTS="" (JVM options for the engine, e.g. "-Dflowline.engine.workers=16"), PROFILE=0 (1: a JFR recording
#   of the server per phase, $BENCH_WORK/{hooks,me}-c<N>.jfr, summarised by bench/lib/jfr-top.py at the end), and
#   PAST_PARTITIONS=0 (on a WAR with migration 0039: that many empty daily partitions of the run history before the
#   current month are made after the start, as a history of that many days has; a WAR without it ignores it), and
#   those of bench/lib/common.sh (FLOWLINE_WAR, MICRO_JAR, BENCH_PORT, BENCH_DB...).
# Side by side: FLOWLINE_WAR_B=/other/flowline.war runs a second server with that WAR on BENCH_PORT_B (BENCH_PORT + 1),
#   same database; each level is measured on both, in alternating order (A B, B A, A B...), the idle one paused
#   (SIGSTOP: it neither takes CPU nor claims the other's runs). LABEL_A/LABEL_B name them in the tables (A, B), and a
#   last table gives B's figures over A's per level. JFR_FRAMES: methods whose inclusive share the profiles print.
set -euo pipefail
BENCH_WORK="${BENCH_WORK:-/tmp/flowline-bench/webhook-runs}"
source "$(dirname "$0")/lib/common.sh"

LEVELS="${LEVELS:-8 32 64}"
DURATION="${DURATION:-20}"
ME_DURATION="${ME_DURATION:-10}"
REQUESTS_PER_LEVEL="${REQUESTS_PER_LEVEL:-60000}"
CONCURRENCY="${CONCURRENCY:-100}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-600}"
PROFILE="${PROFILE:-0}"
WARMUP_SECONDS="${WARMUP_SECONDS:-20}"
WARMUP_CONNECTIONS="${WARMUP_CONNECTIONS:-$(tr ' ' '\n' <<<"$LEVELS" | sort -n | tail -1)}"
FLOWLINE_WAR_B="${FLOWLINE_WAR_B:-}"
BENCH_PORT_B="${BENCH_PORT_B:-$((BENCH_PORT + 1))}"
LABEL_A="${LABEL_A:-A}"
LABEL_B="${LABEL_B:-B}"
JFR_FRAMES="${JFR_FRAMES:-org.glassfish.concurrent.runtime.ContextSetupProviderImpl.saveContext}"
DEFINITION='{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},
  {"id":"set","type":"data.set","params":{"values":{"got":"{{input.n}}"}}}],
  "edges":[{"from":"hook","to":"set"}]}'

require_tools
if [[ -n "$FLOWLINE_WAR_B" ]]; then
    [[ -f "$FLOWLINE_WAR_B" ]] || die "no WAR at $FLOWLINE_WAR_B"
    curl -s -o /dev/null "http://127.0.0.1:$BENCH_PORT_B/" && die "something already listens on 127.0.0.1:$BENCH_PORT_B"
    SIDES="A B"
else
    SIDES="A"
fi
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
declare -A PID PORT WAR LABEL
WAR[A]=$FLOWLINE_WAR; WAR[B]=$FLOWLINE_WAR_B; PORT[A]=$BENCH_PORT; PORT[B]=$BENCH_PORT_B
LABEL[A]=$LABEL_A; LABEL[B]=$LABEL_B
stop_servers() {
    local s
    for s in $SIDES; do
        [[ -n "${PID[$s]:-}" ]] || continue
        kill -CONT "${PID[$s]}" 2>/dev/null || true # a paused JVM handles no TERM
        SERVER_PID=${PID[$s]}
        stop_server
    done
}
trap stop_servers EXIT
# use_side S: the next requests, profiles and logs go to server S; the other one is paused
use_side() {
    local s
    SIDE=$1
    SERVER_PID=${PID[$1]}
    BENCH_PORT=${PORT[$1]}
    BASE="http://127.0.0.1:$BENCH_PORT"
    SERVER_LOG="$BENCH_WORK/payara-$1.log"
    for s in $SIDES; do
        if [[ "$s" == "$1" ]]; then kill -CONT "${PID[$s]}"; else kill -STOP "${PID[$s]}"; fi
    done
}
fresh_database
# JFR keeps 64 frames by default: too few for the web stack's depth
profile_opts=()
[[ "$PROFILE" == 1 ]] && profile_opts=(-XX:FlightRecorderOptions:stackdepth=256)
for s in $SIDES; do # one after the other: the first migrates the database
    BENCH_PORT=${PORT[$s]}; BASE="http://127.0.0.1:$BENCH_PORT"
    SERVER_LOG="$BENCH_WORK/payara-$s.log"; SERVER_TMP="$BENCH_WORK/tmp-$s"; FLOWLINE_WAR=${WAR[$s]}
    log "server $s (${LABEL[$s]}): $FLOWLINE_WAR on port $BENCH_PORT"
    # shellcheck disable=SC2086
    start_server ${profile_opts[@]+"${profile_opts[@]}"} ${ENGINE_OPTS:-}
    PID[$s]=$SERVER_PID
    wait_ready
    if [[ "$s" == A ]]; then sign_in; fi # the session is in the database: valid on both
done
PAST_PARTITIONS="${PAST_PARTITIONS:-0}"
if ((PAST_PARTITIONS > 0)) && [[ -n "$(sql -c "SELECT to_regproc('create_run_partition')")" ]]; then
    sql -c "SELECT create_run_partition(to_char(d, '\"p\"YYYY_MM_DD'), d, d + interval '1 day')
            FROM generate_series(date_trunc('month', now()) - make_interval(days => $PAST_PARTITIONS),
                                 date_trunc('month', now()) - interval '1 day', interval '1 day') d" >/dev/null
fi
partitions=$(sql -c "SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass('workflow_runs')")
log "run history partitions: $partitions (0: not partitioned)"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
log "levels: $LEVELS connections, $DURATION s of webhooks then $ME_DURATION s of GET /api/v1/me each;" \
    "workflow concurrencyLimit $CONCURRENCY; $(nproc) cores shared by wrk, Payara and PostgreSQL"

# profile_start NAME / profile_stop NAME: a JFR recording (settings=profile) of the server during one phase
profile_start() { [[ "$PROFILE" != 1 ]] || jcmd "$SERVER_PID" JFR.start name="$1" settings=profile >/dev/null; }
profile_stop() {
    [[ "$PROFILE" != 1 ]] || jcmd "$SERVER_PID" JFR.stop name="$1" filename="$BENCH_WORK/$1.jfr" >/dev/null
}
# flowline_engine_handoffs_total by outcome from /metrics, "outcome=n ..." (empty on a WAR without the counter)
handoffs() {
    curl -s "$BASE/metrics" | sed -nE 's/^flowline_engine_handoffs_total\{.*outcome="([a-z_]+)".*\} ([0-9.eE+]+).*/\1=\2/p' \
        | tr '\n' ' '
}

if ((WARMUP_SECONDS > 0)); then
    for s in $SIDES; do
        use_side "$s"
        log "warm-up of ${LABEL[$s]}: webhooks and GET /api/v1/me at $WARMUP_CONNECTIONS connections for $WARMUP_SECONDS s each (not counted)"
        create_workflow "bench webhooks warm-up $s" "$DEFINITION" "$CONCURRENCY"
        sign_requests "$BENCH_WORK/requests-warmup-$s.tsv" "$REQUESTS_PER_LEVEL" "warmup-$s-$(date +%s)"
        drive_webhooks "$WARMUP_CONNECTIONS" "$WARMUP_SECONDS" "$BENCH_WORK/requests-warmup-$s.tsv" "$BENCH_WORK/warmup-$s" >/dev/null
        drive_get "$WARMUP_CONNECTIONS" "$WARMUP_SECONDS" /api/v1/me >/dev/null
        wait_drained "$WORKFLOW_ID" "$DRAIN_TIMEOUT" >/dev/null || true
    done
fi
# handoff_delta BEFORE AFTER: the counts of each outcome between two handoffs() readings and the handed_off share,
# "handed_off=n queued=n no_worker=n rolled_back=n share=p%" ("n/a" on a WAR without the counter)
handoff_delta() {
    [[ -n "$2" ]] || { echo "n/a"; return; }
    awk -v a="$1" -v b="$2" 'BEGIN {
        n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); before[kv[1]] = kv[2] }
        n = split(b, y, " "); total = 0; out = ""
        for (i = 1; i <= n; i++) { split(y[i], kv, "="); d = kv[2] - before[kv[1]]; delta[kv[1]] = d; total += d
                                   out = out kv[1] "=" d " " }
        share = total > 0 ? delta["handed_off"] / total * 100 : 0
        printf "%sshare=%.0f%%", out, share }'
}

rows=()
declare -A SUMMARY # "<side> <connections>" -> runs/s p99 commits me/s ratio
failures=0
# measure_level C: one level on the current side (use_side); prints its report, adds a row to the summary
measure_level() {
    local c=$1 name="${SIDE}-c$1"
    create_workflow "bench webhooks $name" "$DEFINITION" "$CONCURRENCY"
    requests="$BENCH_WORK/requests-$name.tsv"
    sign_requests "$requests" "$REQUESTS_PER_LEVEL" "$name-$(date +%s)"
    settle_stats
    load1=$(cut -d' ' -f1 /proc/loadavg)
    commits_before=$(commits)

    log "${LABEL[$SIDE]} c=$c: webhooks for $DURATION s (load average $load1)"
    handoffs_before=$(handoffs)
    profile_start "hooks-$name"
    load_start=$(now)
    cpu_mark a
    hooks=$(drive_webhooks "$c" "$DURATION" "$requests" "$BENCH_WORK/answers-$name")
    cpu_mark b
    profile_stop "hooks-$name"
    load_end=$(now)
    drain=$(wait_drained "$WORKFLOW_ID" "$DRAIN_TIMEOUT") || true
    drained_at=$(now)
    settle_stats
    commits_after=$(commits)
    check=$(check_runs "$WORKFLOW_ID" "$BENCH_WORK/answers-$name")

    log "${LABEL[$SIDE]} c=$c: GET /api/v1/me for $ME_DURATION s"
    handoffs_after=$(handoffs)
    profile_start "me-$name"
    cpu_mark c
    me=$(drive_get "$c" "$ME_DURATION" /api/v1/me)
    cpu_mark d
    profile_stop "me-$name"
    settle_stats
    me_commits=$(($(commits) - commits_after))

    seconds=$(field seconds "$hooks")
    accepted=$(field accepted "$hooks")
    hooks_rate=$(awk -v a="$accepted" -v s="$seconds" 'BEGIN { printf "%.0f", a / s }')
    me_rate=$(awk -v r="$(field requests "$me")" -v s="$(field seconds "$me")" 'BEGIN { printf "%.0f", r / s }')
    ratio=$(awk -v h="$hooks_rate" -v m="$me_rate" 'BEGIN { printf "%.2f", h / m }')
    # Payara's CPU time per accepted webhook (its run's execution included): less sensitive than the rates to what
    # else the machine runs
    cpu_ms=$(awk -v n="$accepted" -v hz="$(getconf CLK_TCK)" 'FNR == 1 { if (NR == 1) a = $3; else b = $3 }
        END { printf "%.2f", (n > 0 ? (b - a) * 1000 / hz / n : 0) }' "$BENCH_WORK/cpu-a" "$BENCH_WORK/cpu-b")
    runs=$(field runs "$check")
    in_load=$(succeeded_until "$WORKFLOW_ID" "$load_end")
    runs_rate_load=$(awk -v n="$in_load" -v a="$load_start" -v b="$load_end" 'BEGIN { printf "%.0f", n / (b - a) }')
    runs_rate_all=$(awk -v n="$runs" -v a="$load_start" -v b="$(field last_finished "$check")" 'BEGIN { printf "%.0f", n / (b - a) }')
    per_run=$(awk -v a="$commits_before" -v b="$commits_after" -v n="$runs" 'BEGIN { printf "%.2f", (b - a) / n }')

    verdict=PASS
    problems=()
    [[ "$(field duplicates "$hooks")" == 0 && "$(field wrapped "$hooks")" == 0 ]] \
        || problems+=("a delivery id was sent twice (REQUESTS_PER_LEVEL too small)")
    [[ "$(field other "$hooks")" == 0 ]] || problems+=("non-202 answers: $(field other_statuses "$hooks")")
    [[ "$(field distinct "$check")" == "$(field answered "$check")" ]] || problems+=("a run id was answered twice")
    [[ "$(field missing "$check")" == 0 ]] || problems+=("$(field missing "$check") answered runs not in the database")
    [[ "$(field not_succeeded "$check")" == 0 ]] || problems+=("$(field not_succeeded "$check") answered runs not SUCCEEDED")
    [[ "$(field open "$check")" == 0 ]] || problems+=("$(field open "$check") runs still QUEUED/RUNNING")
    [[ "$(field bad "$check")" == 0 ]] || problems+=("$(field bad "$check") runs FAILED/CANCELED/DEAD_LETTERED")
    [[ "$(field twice "$check")" == 0 ]] || problems+=("$(field twice "$check") steps SUCCEEDED twice")
    if ((${#problems[@]})); then
        verdict=FAIL
        failures=$((failures + 1))
    fi

    cat <<REPORT

== ${LABEL[$SIDE]}: $c connections (load average $load1 before) ==
webhooks      $accepted accepted (202) in ${seconds} s = $hooks_rate/s; answer p50 $(field p50_ms "$hooks") ms, p99 $(field p99_ms "$hooks") ms, max $(field max_ms "$hooks") ms
              wrk: $(field requests "$hooks") answered, non-202 $(field other "$hooks") ($(field other_statuses "$hooks")), socket errors connect/read/write/timeout $(field connect_errors "$hooks")/$(field read_errors "$hooks")/$(field write_errors "$hooks")/$(field timeouts "$hooks")
runs          $in_load SUCCEEDED during the load = $runs_rate_load/s; queue drained $drain s after the load; $runs runs in $(elapsed "$load_start" "$(field last_finished "$check")") s from the first webhook to the last finish = $runs_rate_all/s
              trigger to finish (finished_at - queued_at): p50 $(field t2f_p50_ms "$check") ms, p99 $(field t2f_p99_ms "$check") ms
hand-off      runs accepted by outcome (flowline_engine_handoffs_total): $(handoff_delta "$handoffs_before" "$handoffs_after")
postgres      $((commits_after - commits_before)) commits over load and drain = $per_run per run (includes the engine's idle polls, about 2/s)
GET /me       $me_rate/s at $c connections; p50 $(field p50_ms "$me") ms, p99 $(field p99_ms "$me") ms (non-2xx $(field non_2xx_3xx "$me")); $(awk -v n="$me_commits" -v r="$(field requests "$me")" 'BEGIN { printf "%.2f", n / r }') commits per request
ratio         webhooks/s over /me/s = $ratio
cpu           webhooks: $(cpu_share a b); /me: $(cpu_share c d); Payara's CPU per accepted webhook $cpu_ms ms
runs check    $verdict: 202 answers $(field answered "$check") (distinct run ids $(field distinct "$check")); runs in the database $runs ($(field statuses "$check")); runs without a counted 202 (in flight when wrk stopped) $(field unanswered "$check"); answered but missing $(field missing "$check"), answered but not SUCCEEDED $(field not_succeeded "$check"), QUEUED/RUNNING $(field open "$check"), FAILED/CANCELED/DEAD_LETTERED $(field bad "$check"), steps SUCCEEDED twice $(field twice "$check"), failed steps $(field failed_steps "$check")
REPORT
    for problem in ${problems[@]+"${problems[@]}"}; do echo "              FAIL: $problem"; done
    SUMMARY["$SIDE $c"]="$runs_rate_load $(field p99_ms "$hooks") $per_run $me_rate $ratio $hooks_rate $cpu_ms"
    rows+=("$(printf '%-8s %5s %5s %8s %7s %7s %7s %7s %8s %8s %7s %6s %6s %6s %7s %6s  %s' "${LABEL[$SIDE]}" "$load1" "$c" "$hooks_rate" \
        "$(field p50_ms "$hooks")" "$(field p99_ms "$hooks")" "$runs_rate_load" "$drain" \
        "$(field t2f_p50_ms "$check")" "$(field t2f_p99_ms "$check")" "$per_run" "$me_rate" "$ratio" \
        "$(cpu_other a b)" "$(handoff_delta "$handoffs_before" "$handoffs_after" | sed -nE 's/.*share=([0-9]+%).*/\1/p')" "$cpu_ms" \
        "$verdict")")
}

order="$SIDES"
for c in $LEVELS; do
    for s in $order; do
        use_side "$s"
        measure_level "$c"
    done
    if [[ "$order" == "A B" ]]; then order="B A"; elif [[ "$order" == "B A" ]]; then order="A B"; fi # who goes first
done

echo
echo "Summary ($(nproc) cores; $DURATION s of webhooks per level; workflow concurrencyLimit $CONCURRENCY; ms = milliseconds; run history partitions $partitions)"
printf '%-8s %5s %5s %8s %7s %7s %7s %7s %8s %8s %7s %6s %6s %6s %7s %6s  %s\n' war load1 conns hooks/s p50ms p99ms runs/s drain_s \
    t2f_p50 t2f_p99 commits me/s ratio other% handoff cpu_ms check
printf '%s\n' "${rows[@]}"
echo "(hooks/s: 202s per second; runs/s: runs SUCCEEDED during the load; drain_s: time after the load until nothing was"
echo " QUEUED/RUNNING; t2f: trigger to finish in ms; commits: PostgreSQL commits per run; ratio: hooks/s over me/s;"
echo " other%: share of the machine's CPU taken by processes outside the bench during the webhooks; handoff: share of"
echo " the accepted runs handed to a free worker without a claim, flowline_engine_handoffs_total; load1: the load"
echo " average before the level; cpu_ms: Payara's CPU time per accepted webhook, its run included)"
if [[ "$SIDES" == "A B" ]]; then
    echo
    echo "$LABEL_B over $LABEL_A, per level (the same database, measured one after the other)"
    printf '%5s %8s %8s %8s %8s %8s %8s %8s\n' conns hooks/s runs/s p99 commits me/s ratio cpu_ms
    for c in $LEVELS; do
        read -r -a a <<<"${SUMMARY["A $c"]}"
        read -r -a b <<<"${SUMMARY["B $c"]}"
        awk -v c="$c" -v a="${a[*]}" -v b="${b[*]}" 'BEGIN { split(a, x, " "); split(b, y, " ")
            r = ""; n = split("6 1 2 3 4 5 7", k, " ")
            for (i = 1; i <= n; i++) r = r sprintf(" %8s", x[k[i]] > 0 ? sprintf("%.2fx", y[k[i]] / x[k[i]]) : "-")
            printf "%5s%s\n", c, r }'
    done
fi
if [[ "$PROFILE" == 1 ]]; then
    frames=()
    for f in $JFR_FRAMES; do frames+=(--frame "$f"); done
    for c in $LEVELS; do
        for s in $SIDES; do
            for phase in hooks me; do
                echo; echo "== profile: ${LABEL[$s]}, $phase at $c connections ($BENCH_WORK/$phase-$s-c$c.jfr) =="
                python3 "$BENCH_DIR/lib/jfr-top.py" "$BENCH_WORK/$phase-$s-c$c.jfr" "${frames[@]}" || true
            done
        done
    done
fi
for s in $SIDES; do
    echo -n "${LABEL[$s]}: "
    SERVER_LOG="$BENCH_WORK/payara-$s.log" report_server_log
done
exit $((failures > 0))
