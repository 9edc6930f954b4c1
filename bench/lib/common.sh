# Shared by bench/webhook-runs.sh and bench/crash-recovery.sh (sourced, not run): a scratch PostgreSQL database,
# Payara Micro with the WAR, a user with a session, workflows with a webhook, and pre-signed webhook requests.
# Everything listens on and talks to 127.0.0.1 only. Settings (environment variables, defaults shown):
#
#   FLOWLINE_WAR=target/flowline.war  MICRO_JAR=target/payara-micro.jar   (build: mvn -B package -DskipTests)
#   BENCH_PORT=8080  BENCH_DB=flowline_bench  BENCH_DB_USER=flowline_bench  BENCH_DB_PASSWORD=flowline_bench
#   BENCH_WORK=/tmp/flowline-bench/<script>  (server log, signed requests, answers)  BENCH_JAVA_OPTS=(none)
#   WRK_THREADS=2  BENCH_PG_CLUSTER=main  BENCH_PG_PORT=5432  (the PostgreSQL 15 cluster, pg_ctlcluster's name)
#   SERVER_LOG=$BENCH_WORK/payara.log  SERVER_TMP=$BENCH_WORK/tmp  (the server's log and temporary folder: a script
#   running two servers gives each its own)

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=../../server-config/lib/outbox.sh
source "$REPO_DIR/server-config/lib/outbox.sh"
FLOWLINE_WAR="${FLOWLINE_WAR:-$REPO_DIR/target/flowline.war}"
MICRO_JAR="${MICRO_JAR:-$REPO_DIR/target/payara-micro.jar}"
BENCH_PORT="${BENCH_PORT:-8080}"
BENCH_DB="${BENCH_DB:-flowline_bench}"
BENCH_DB_USER="${BENCH_DB_USER:-flowline_bench}"
BENCH_DB_PASSWORD="${BENCH_DB_PASSWORD:-flowline_bench}"
WRK_THREADS="${WRK_THREADS:-2}"
BENCH_PG_CLUSTER="${BENCH_PG_CLUSTER:-main}"
BENCH_PG_PORT="${BENCH_PG_PORT:-5432}"
BASE="http://127.0.0.1:$BENCH_PORT"
SERVER_PID=""
# an encryption key for this run (webhook secrets at rest); the same for a restart within the run
BENCH_KEY="${BENCH_KEY:-kbench:$(openssl rand -base64 32)}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
# seconds between two `now` values, with 2 decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

require_tools() {
    command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -q wrk >/dev/null || die "no wrk"; }
    for tool in psql pg_ctlcluster curl jq python3 java; do
        command -v "$tool" >/dev/null || die "$tool is needed"
    done
    [[ -f "$FLOWLINE_WAR" ]] || die "no WAR at $FLOWLINE_WAR (mvn -B package -DskipTests, or set FLOWLINE_WAR)"
    [[ -f "$MICRO_JAR" ]] || die "no Payara Micro at $MICRO_JAR (copied to target/ by mvn package, or set MICRO_JAR)"
    if curl -s -o /dev/null "$BASE/"; then
        die "something already listens on 127.0.0.1:$BENCH_PORT (set BENCH_PORT)"
    fi
}

# psql as the bench user on the bench database; -At: bare values, one row a line, columns split by |
sql() { PGPASSWORD="$BENCH_DB_PASSWORD" psql -h 127.0.0.1 -p "$BENCH_PG_PORT" -U "$BENCH_DB_USER" -d "$BENCH_DB" -v ON_ERROR_STOP=1 -qAt "$@"; }
# psql as postgres on the maintenance database (role and database administration, pg_stat_database)
admin_sql() { runuser -u postgres -- psql -p "$BENCH_PG_PORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# Starts the machine's PostgreSQL 15 (cluster BENCH_PG_CLUSTER) and creates a fresh database owned by the bench user (dropping it first).
fresh_database() {
    pg_ctlcluster 15 "$BENCH_PG_CLUSTER" status >/dev/null 2>&1 || pg_ctlcluster 15 "$BENCH_PG_CLUSTER" start
    admin_sql -c "SELECT 1" >/dev/null
    admin_sql <<SQL
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$BENCH_DB';
DROP DATABASE IF EXISTS $BENCH_DB;
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$BENCH_DB_USER') THEN
        CREATE ROLE $BENCH_DB_USER LOGIN PASSWORD '$BENCH_DB_PASSWORD';
    END IF;
END \$\$;
CREATE DATABASE $BENCH_DB OWNER $BENCH_DB_USER;
SQL
    log "database $BENCH_DB recreated (owner $BENCH_DB_USER)"
}

# Transactions committed in the bench database so far (pg_stat_database; backends flush their counts when they go
# idle, at the latest 10 s later: see settle_stats).
commits() { admin_sql -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$BENCH_DB'"; }
# PostgreSQL backends hold their statistics for up to PGSTAT_IDLE_INTERVAL (10 s) before publishing them.
settle_stats() { sleep "${STATS_SETTLE_SECONDS:-11}"; }

# Starts Payara Micro with the WAR in the background (its stdout and stderr are the server log); extra arguments
# are JVM options (-Dflowline.engine.lease-seconds=5 ...). The quota is lifted so that no webhook gets a 402. It runs
# as in production (no development switch): real encryption keys, emails written to an outbox folder.
start_server() {
    local server_log="${SERVER_LOG:-$BENCH_WORK/payara.log}" server_tmp="${SERVER_TMP:-$BENCH_WORK/tmp}"
    mkdir -p "$server_tmp"
    # The HTTP listener binds to 127.0.0.1 only (set before boot: changing it after boot restarts the listener,
    # which sometimes left nothing listening).
    echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
        >"$BENCH_WORK/preboot.asadmin"
    # shellcheck disable=SC2086
    FLOWLINE_DB_URL="jdbc:postgresql://127.0.0.1:$BENCH_PG_PORT/$BENCH_DB?stringtype=unspecified" \
    FLOWLINE_DB_USER="$BENCH_DB_USER" FLOWLINE_DB_PASSWORD="$BENCH_DB_PASSWORD" FLOWLINE_ENCRYPTION_KEYS="$BENCH_KEY" \
    FLOWLINE_MAIL_OUTBOX_DIR="$BENCH_WORK/outbox" \
        java ${BENCH_JAVA_OPTS:-} -Djava.io.tmpdir="$server_tmp" \
            -Dflowline.plans.default-tier=WORKSPACE -Dflowline.plans.workspace.runs-per-period=100000000 \
            -Dflowline.public-base-url="$BASE" "$@" \
            -jar "$MICRO_JAR" --deploy "$FLOWLINE_WAR" --contextroot / --nocluster --port "$BENCH_PORT" \
            --prebootcommandfile "$BENCH_WORK/preboot.asadmin" \
        >>"$server_log" 2>&1 &
    SERVER_PID=$!
    disown "$SERVER_PID" # no job notice when it is killed; stop_server and the scripts' traps end it by pid
    log "Payara Micro started (pid $SERVER_PID, log $server_log)"
}

# Waits until /health/ready answers 200 (the WAR is deployed, the database reachable and migrated).
wait_ready() {
    local started deadline
    started=$(now)
    deadline=$((SECONDS + ${READY_TIMEOUT_SECONDS:-240}))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -40 "${SERVER_LOG:-$BENCH_WORK/payara.log}" >&2; die "Payara Micro exited"; }
        ((SECONDS < deadline)) || { tail -40 "${SERVER_LOG:-$BENCH_WORK/payara.log}" >&2; die "not ready after ${READY_TIMEOUT_SECONDS:-240} s"; }
        sleep 0.5
    done
    log "ready after $(elapsed "$started" "$(now)") s"
}

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        log "Payara Micro stopped"
    fi
    SERVER_PID=""
}

# curl that prints the body and fails on an unexpected status: api METHOD PATH [JSON] (uses $TOKEN when set)
api() {
    local method=$1 path=$2 body=${3:-} out status
    out=$(mktemp)
    local args=(-s -o "$out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json')
    [[ -n "${TOKEN:-}" ]] && args+=(-H "Authorization: Bearer $TOKEN")
    [[ -n "$body" ]] && args+=(--data-binary "$body")
    status=$(curl "${args[@]}" "$BASE$path")
    if [[ "$status" != 2* ]]; then
        log "$method $path answered $status: $(cat "$out")"
        rm -f "$out"
        return 1
    fi
    cat "$out"
    rm -f "$out"
}

# Signs up a user, logs in (sets TOKEN) and finds the personal workspace (sets WORKSPACE).
sign_in() {
    local email="bench-$(date +%s)-$RANDOM@example.com" password="bench-password-1234"
    api POST /api/v1/auth/signup "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Bench\"}" >/dev/null \
        || die "signup failed"
    TOKEN=$(api POST /api/v1/auth/login "{\"email\":\"$email\",\"password\":\"$password\"}" | jq -r .token)
    [[ -n "$TOKEN" && "$TOKEN" != null ]] || die "login failed"
    # runs and webhooks need a verified address: the verification email is in the server's outbox folder
    local verification=""
    for _ in $(seq 50); do
        verification=$(verification_token "$email") && [[ -n "$verification" ]] && break
        sleep 0.2
    done
    [[ -n "$verification" ]] || die "no verification email for $email in $BENCH_WORK/outbox"
    api POST /api/v1/auth/verify-email "{\"token\":\"$verification\"}" >/dev/null || die "verifying the email failed"
    WORKSPACE=$(api GET /api/v1/workspaces | jq -r '.items[0].id')
    [[ -n "$WORKSPACE" && "$WORKSPACE" != null ]] || die "no personal workspace"
    log "signed in as $email, workspace $WORKSPACE ($(api GET "/api/v1/workspaces/$WORKSPACE" | jq -r .plan) plan)"
}

# verification_token EMAIL: the token of the verification email to EMAIL in the outbox folder (empty if none yet)
verification_token() {
    outbox_verification_token "$BENCH_WORK/outbox" "$1"
}

# create_workflow NAME DEFINITION-JSON [CONCURRENCY-LIMIT]: sets WORKFLOW_ID, HOOK_PATH (/hooks/...) and HOOK_SECRET.
create_workflow() {
    local name=$1 definition=$2 limit=${3:-1} created
    created=$(api POST "/api/v1/workspaces/$WORKSPACE/workflows" \
        "{\"name\":\"$name\",\"concurrencyLimit\":$limit,\"definition\":$definition}") || die "creating the workflow failed"
    WORKFLOW_ID=$(jq -r .id <<<"$created")
    HOOK_PATH=$(jq -r .webhook.url <<<"$created" | sed -E 's#^https?://[^/]+##')
    HOOK_SECRET=$(jq -r .webhook.secret <<<"$created")
    [[ "$HOOK_PATH" == */hooks/* && "$HOOK_SECRET" == whsec_* ]] || die "no webhook in: $created"
}

# sign_requests FILE COUNT PREFIX: COUNT webhook requests signed now (valid for 5 minutes), each with its own
# delivery id PREFIX-<i> and body {"n": i}.
sign_requests() {
    python3 "$BENCH_DIR/lib/sign-webhooks.py" --secret "$HOOK_SECRET" --count "$2" --delivery-prefix "$3" >"$1"
}

# drive_webhooks CONNECTIONS SECONDS REQUESTS-FILE ANSWERS-PREFIX: wrk POSTing the pre-signed requests to HOOK_PATH.
# Each thread writes the run id of every 202 to ANSWERS-PREFIX-<thread>.txt; prints wrk's RESULT line.
drive_webhooks() {
    wrk -t "$WRK_THREADS" -c "$1" -d "${2}s" --timeout 30s -s "$BENCH_DIR/lib/webhooks.lua" "$BASE$HOOK_PATH" \
        -- "$3" "$WRK_THREADS" "$4" | grep '^RESULT'
}

# drive_get CONNECTIONS SECONDS PATH: wrk GETting PATH with the session token; prints wrk's RESULT line.
drive_get() {
    wrk -t "$WRK_THREADS" -c "$1" -d "${2}s" --timeout 30s -H "Authorization: Bearer $TOKEN" \
        -s "$BENCH_DIR/lib/get.lua" "$BASE$3" | grep '^RESULT'
}

# field NAME RESULT-LINE: one key=value field of a RESULT line
field() { sed -nE "s/(^|.* )$1=([^ ]*).*/\2/p" <<<"$2"; }

# wait_drained WORKFLOW-ID TIMEOUT: waits until the workflow has no QUEUED or RUNNING run; prints the seconds waited
# (or fails after TIMEOUT seconds).
wait_drained() {
    local started open
    started=$(now)
    while :; do
        open=$(sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$1' AND status IN ('QUEUED', 'RUNNING')")
        [[ "$open" == 0 ]] && break
        if awk -v a="$started" -v b="$(now)" -v t="$2" 'BEGIN { exit !(b - a > t) }'; then
            log "still $open runs QUEUED or RUNNING after $2 s"
            elapsed "$started" "$(now)"
            return 1
        fi
        sleep 0.2
    done
    elapsed "$started" "$(now)"
}

# check_runs WORKFLOW-ID ANSWERS-PREFIX: compares the run ids answered with 202 (ANSWERS-PREFIX-*.txt) with the
# workflow's runs in the database. Prints one line of key=value fields:
#   answered (202 lines) distinct (distinct run ids) missing (answered, no such run) not_succeeded (answered, run not
#   SUCCEEDED) runs (all runs of the workflow) unanswered (runs no counted 202 names: requests in flight when the load
#   stopped) open (QUEUED/RUNNING) bad (FAILED/CANCELED/DEAD_LETTERED) statuses (runs by status) twice (run and node
#   with two SUCCEEDED steps) retaken (runs with attempt > 1) t2f_p50_ms/t2f_p99_ms (finished_at - queued_at) and
#   first_queued/last_finished (epoch seconds)
check_runs() {
    local answers="$BENCH_WORK/answers.all"
    cat "$2"-*.txt >"$answers"
    sql <<SQL
CREATE TEMP TABLE answered (run_id uuid);
\copy answered FROM '$answers'
WITH runs AS (SELECT * FROM workflow_runs WHERE workflow_id = '$1')
SELECT concat_ws(' ',
    'answered=' || (SELECT count(*) FROM answered),
    'distinct=' || (SELECT count(DISTINCT run_id) FROM answered),
    'missing=' || (SELECT count(DISTINCT a.run_id) FROM answered a WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = a.run_id)),
    'not_succeeded=' || (SELECT count(DISTINCT a.run_id) FROM answered a JOIN runs r ON r.id = a.run_id WHERE r.status <> 'SUCCEEDED'),
    'runs=' || (SELECT count(*) FROM runs),
    'unanswered=' || (SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM answered a WHERE a.run_id = r.id)),
    'open=' || (SELECT count(*) FROM runs WHERE status IN ('QUEUED', 'RUNNING')),
    'bad=' || (SELECT count(*) FROM runs WHERE status IN ('FAILED', 'CANCELED', 'DEAD_LETTERED')),
    'statuses=' || (SELECT coalesce(string_agg(status || ':' || n, ',' ORDER BY status), '-')
                    FROM (SELECT status, count(*) n FROM runs GROUP BY status) s),
    'twice=' || (SELECT count(*) FROM (SELECT s.run_id, s.node_id FROM workflow_run_steps s JOIN runs r ON r.id = s.run_id
                                       WHERE s.status = 'SUCCEEDED' GROUP BY s.run_id, s.node_id HAVING count(*) > 1) t),
    'failed_steps=' || (SELECT count(*) FROM workflow_run_steps s JOIN runs r ON r.id = s.run_id WHERE s.status <> 'SUCCEEDED'),
    'retaken=' || (SELECT count(*) FROM runs WHERE attempt > 1),
    't2f_p50_ms=' || (SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - queued_at)) * 1000)::numeric, 1)
                      FROM runs WHERE status = 'SUCCEEDED'),
    't2f_p99_ms=' || (SELECT round((percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - queued_at)) * 1000)::numeric, 1)
                      FROM runs WHERE status = 'SUCCEEDED'),
    'first_queued=' || (SELECT extract(epoch FROM min(queued_at)) FROM runs),
    'last_finished=' || (SELECT extract(epoch FROM max(finished_at)) FROM runs));
SQL
}

# succeeded_until WORKFLOW-ID EPOCH-SECONDS: SUCCEEDED runs of the workflow finished by then
succeeded_until() {
    sql -c "SELECT count(*) FROM workflow_runs WHERE workflow_id = '$1' AND status = 'SUCCEEDED'
            AND finished_at <= to_timestamp($2)"
}

# CPU accounting, to tell whether other work on the machine (a build, a test run) took CPU from the measurement.
# cpu_mark NAME writes $BENCH_WORK/cpu-NAME: the machine's busy and total clock ticks (/proc/stat) and the ticks used
# so far by Payara ($SERVER_PID) and PostgreSQL (processes of user postgres), then one line "pid:start ticks" per
# process outside the bench (all but those, wrk, this script and the pids in BENCH_PIDS). Processes that start and
# end between two marks are not seen.
cpu_mark() {
    local -a c f
    local out="$BENCH_WORK/cpu-$1" dir line pid ticks payara=0 postgres=0 others=""
    read -r -a c </proc/stat # cpu user nice system idle iowait irq softirq steal
    local busy=$((c[1] + c[2] + c[3] + c[6] + c[7] + c[8]))
    local skip=" $$ ${BENCH_PIDS:-} "
    for dir in /proc/[0-9]*; do
        pid=${dir#/proc/}
        [[ "$skip" == *" $pid "* ]] && continue
        line=$(cat "$dir/stat" 2>/dev/null) || continue
        # after the name: utime, stime, cutime, cstime are the 12th to 15th fields, starttime the 20th
        read -r -a f <<<"${line##*) }"
        ticks=$((f[11] + f[12]))
        if [[ "$pid" == "$SERVER_PID" ]]; then
            payara=$ticks
        elif [[ "$(stat -c %U "$dir" 2>/dev/null)" == postgres ]]; then
            # with the children it reaped (cutime, cstime): the postmaster keeps the time of backends that ended
            postgres=$((postgres + ticks + f[13] + f[14]))
        elif [[ "$line" == *"(wrk)"* ]]; then
            continue
        elif ((ticks > 0)); then
            others+="$pid:${f[19]} $ticks"$'\n'
        fi
    done
    echo "$busy $((busy + c[4] + c[5])) $payara $postgres" >"$out"
    printf '%s' "$others" >>"$out"
}
# cpu_other A B: the share (%) of the whole machine used by processes outside the bench between marks A and B
cpu_other() {
    awk 'FNR == 1 { if (NR == 1) { b0 = $1; t0 = $2 } else { b1 = $1; t1 = $2 }; next }
         NR == FNR { before[$1] = $2; next }
         { other += $2 - ($1 in before ? before[$1] : 0) }
         END { t = t1 - t0; if (t <= 0) t = 1; printf "%.0f", other / t * 100 }' \
        "$BENCH_WORK/cpu-$1" "$BENCH_WORK/cpu-$2"
}
# cpu_share A B: "machine busy B% (Payara p%, PostgreSQL q%, the rest r%; processes outside the bench o%)" between
# marks A and B, each a share of the whole machine (all cores). The rest is wrk (which starts and ends between the
# marks, so only the difference shows it) and whatever else ran.
cpu_share() {
    local split
    split=$(awk 'FNR == 1 { if (NR == 1) { split($0, a) } else { split($0, b) } }
                 END { t = b[2] - a[2]; if (t <= 0) t = 1
                       busy = (b[1] - a[1]) / t * 100; payara = (b[3] - a[3]) / t * 100
                       postgres = (b[4] - a[4]) / t * 100
                       printf "machine busy %.0f%% (Payara %.0f%%, PostgreSQL %.0f%%, the rest %.0f%%", \
                           busy, payara, postgres, busy - payara - postgres }' \
        "$BENCH_WORK/cpu-$1" "$BENCH_WORK/cpu-$2")
    echo "$split; processes outside the bench $(cpu_other "$1" "$2")%)"
}

# Prints how many SEVERE records, and WARNING records of Flowline's own loggers (dev.flowline.*), the server logged,
# and the first few of them (Payara's own start-up warnings about certificates, ports and folders are left out).
report_server_log() {
    local file="${SERVER_LOG:-$BENCH_WORK/payara.log}" severe warning pattern='SEVERE|WARNING.*dev\.flowline'
    severe=$(grep -c 'SEVERE' "$file" || true)
    warning=$(grep -E -c 'WARNING.*dev\.flowline' "$file" || true)
    echo "server log: $severe SEVERE records, $warning WARNING records from dev.flowline ($file)"
    grep -E "$pattern" "$file" | sed -E 's/\x1b\[[0-9;]*m//g' | cut -c1-400 | head -"${LOG_LINES:-5}" \
        | sed 's/^/  /' || true
}
