# Several Payara Micro instances of one WAR on one database, for bench/frozen-instance.sh and
# bench/rolling-restart.sh (sourced after bench/lib/common.sh, whose database, key and settings they share).
# Instance NAME listens on 127.0.0.1:PORT, logs to $BENCH_WORK/NAME.log (appended to across restarts) and has its own
# temporary folder. Each JVM names its engine <host>/<8 random hex digits> (Dispatcher.instanceName), new at every
# start, so two instances, or one instance before and after a restart, never share a lease holder.

declare -A INSTANCE_PID=() INSTANCE_PORT=()

# start_instance NAME PORT [JVM options...]: starts it in the background (see start_server in common.sh)
start_instance() {
    local name=$1 port=$2
    shift 2
    mkdir -p "$BENCH_WORK/$name-tmp"
    echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
        >"$BENCH_WORK/preboot.asadmin"
    # shellcheck disable=SC2086
    FLOWLINE_DB_URL="jdbc:postgresql://127.0.0.1:${BENCH_DB_PORT:-5432}/$BENCH_DB?stringtype=unspecified" \
    FLOWLINE_DB_USER="$BENCH_DB_USER" FLOWLINE_DB_PASSWORD="$BENCH_DB_PASSWORD" FLOWLINE_ENCRYPTION_KEYS="$BENCH_KEY" \
    FLOWLINE_MAIL_OUTBOX_DIR="$BENCH_WORK/outbox" \
        java ${BENCH_JAVA_OPTS:-} -Djava.io.tmpdir="$BENCH_WORK/$name-tmp" \
            -Dflowline.plans.default-tier=WORKSPACE -Dflowline.plans.workspace.runs-per-period=100000000 \
            -Dflowline.public-base-url="${PUBLIC_BASE:-http://127.0.0.1:$port}" "$@" \
            -jar "$MICRO_JAR" --deploy "$FLOWLINE_WAR" --contextroot / --nocluster --port "$port" --name "$name" \
            --prebootcommandfile "$BENCH_WORK/preboot.asadmin" \
        >>"$BENCH_WORK/$name.log" 2>&1 &
    INSTANCE_PID[$name]=$!
    INSTANCE_PORT[$name]=$port
    disown "${INSTANCE_PID[$name]}"
    log "$name started (pid ${INSTANCE_PID[$name]}, port $port, log $BENCH_WORK/$name.log)"
}

# wait_instance_ready NAME: until its /health/ready answers 200
wait_instance_ready() {
    local name=$1 started deadline
    started=$(now)
    deadline=$((SECONDS + ${READY_TIMEOUT_SECONDS:-900}))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${INSTANCE_PORT[$name]}/health/ready")" == 200 ]]; do
        kill -0 "${INSTANCE_PID[$name]}" 2>/dev/null || { tail -40 "$BENCH_WORK/$name.log" >&2; die "$name exited"; }
        ((SECONDS < deadline)) || { tail -40 "$BENCH_WORK/$name.log" >&2; die "$name not ready in time"; }
        sleep 0.5
    done
    log "$name ready after $(elapsed "$started" "$(now)") s"
}

# engine_owner NAME: the lease holder prefix of its engine now (from "Engine <owner>: ..." in its log, the last start)
engine_owner() {
    sed -nE 's/.*Engine ([^ ]+): [0-9]+ workers.*/\1/p' "$BENCH_WORK/$1.log" | tail -1
}

# stop_instance NAME [SIGNAL]: signals it (TERM by default) and waits up to STOP_TIMEOUT (60) s, then kills it
stop_instance() {
    local name=$1 signal=${2:-TERM} pid=${INSTANCE_PID[$1]:-}
    [[ -n "$pid" ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -CONT "$pid" 2>/dev/null || true
        kill "-$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 1 $((2 * ${STOP_TIMEOUT:-60}))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name did not stop within ${STOP_TIMEOUT:-60} s: SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    INSTANCE_PID[$name]=""
}

stop_all_instances() {
    local name
    for name in "${!INSTANCE_PID[@]}"; do
        stop_instance "$name"
    done
}
