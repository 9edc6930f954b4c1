#!/usr/bin/env bash
# Follows the two Payara Server routes of docs/operating/deploying.md word for word on fresh Payara Servers, then redeploys the WAR in
# place and counts what the undeployed copies left behind. Run by hand (not part of `mvn verify`):
#
#   CHECK_DB_URL=jdbc:postgresql://127.0.0.1:5432/flowline_check CHECK_DB_USER=flowline_check \
#   CHECK_DB_PASSWORD=... server-config/check-payara-server.sh [/path/to/flowline.war]
#
# The WAR defaults to target/flowline.war (mvn -B package -DskipTests); it is copied out of the checkout first, so
# nothing below depends on a repository. The database must exist, be owned by CHECK_DB_USER and be reachable; the
# WAR migrates it (run it against a scratch database: the checks sign up users). Needs java (JDK 17, with jcmd),
# mvn, curl, python3, openssl, unzip.
#
# 1. Payara Server 6.2025.10 is unpacked from Maven Central (fish.payara.distributions:payara:zip, through
#    `mvn dependency:copy` into CHECK_WORK) once per route, so each route starts from a fresh domain1. The only
#    change to it that the deployment guide does not name: its HTTP and admin listeners bind to 127.0.0.1.
# 2. Route "file" (docs/operating/deploying.md: asadmin file): start-domain; copy server-config/payara-server.asadmin and edit it as an
#    operator would (sed on the EDIT lines: database, public address, an outbox folder instead of SMTP);
#    create-password-alias for the database password and the encryption keys (through --passwordfile, the
#    non-interactive form of the prompts); multimode --file; deploy with the WAR's path. First on purpose with a
#    wrong database password alias: the deploy must fail, the corrected alias must still fail at once (Payara's 60 s
#    MicroProfile Config cache), and work after `asadmin restart-domain`, as the template says.
#    Checks: domain.xml holds neither the password nor the key; /health/ready, signup, login, /api/v1/me.
# 3. Route "env" (docs/operating/deploying.md: environment variables): copy server-config/flowline.env.example, edit it, load it
#    (set -a; . file; set +a) into the environment of `asadmin start-domain` only; deploy from a shell without it.
#    Same checks.
# 4. Redeploys: on the env route's server, CYCLES (10) times deploy, wait until ready, sign up, undeploy;
#    then, after SETTLE_SECONDS and every 30 s, a full GC (jcmd GC.run), the class loaders still holding dev.flowline classes and how many such classes
#    (jcmd VM.classloaders show-classes), and the SEVERE and leak WARNING records the server logged during the
#    cycles. Payara's used heap before and after is printed too.
#
# Settings (environment, defaults shown): CHECK_WORK=/tmp/flowline-payara-check  ROUTES="file env"  CYCLES=10
#   SETTLE_SECONDS=20 (wait after the last undeploy before counting)  POOL_SETTLE_SECONDS=420 (then count every 30 s
#   until none is left, at most this long: Payara's pool timer lets go of the last pool within its 300 s idle timeout)
#   KEEP_SERVER=0 (1: leave the last domain up)
# Exit status: 0 when every check passed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/outbox.sh
source "$REPO_DIR/server-config/lib/outbox.sh"
WAR_SOURCE="${1:-$REPO_DIR/target/flowline.war}"
CHECK_WORK="${CHECK_WORK:-/tmp/flowline-payara-check}"
ROUTES="${ROUTES:-file env}"
CYCLES="${CYCLES:-10}"
SETTLE_SECONDS="${SETTLE_SECONDS:-20}"
POOL_SETTLE_SECONDS="${POOL_SETTLE_SECONDS:-420}"
KEEP_SERVER="${KEEP_SERVER:-0}"
PAYARA_VERSION="${PAYARA_VERSION:-6.2025.10}"
: "${CHECK_DB_URL:?set CHECK_DB_URL (jdbc:postgresql://127.0.0.1:5432/db), CHECK_DB_USER and CHECK_DB_PASSWORD}"
: "${CHECK_DB_USER:?set CHECK_DB_USER}"
: "${CHECK_DB_PASSWORD:?set CHECK_DB_PASSWORD}"
BASE="http://127.0.0.1:8080"
FAILURES=0
RESULTS=()
ASADMIN=""
DOMAIN_DIR=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
result() { # result PASS|FAIL text
    RESULTS+=("$1  $2")
    if [[ "$1" == FAIL ]]; then FAILURES=$((FAILURES + 1)); fi
    log "$1 $2"
}

for tool in java jcmd mvn curl python3 openssl unzip; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[[ -f "$WAR_SOURCE" ]] || die "no WAR at $WAR_SOURCE (mvn -B package -DskipTests, or pass its path)"
for port in 8080 4848; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use (another Payara?)"; fi
done

rm -rf "$CHECK_WORK" && mkdir -p "$CHECK_WORK/dist" "$CHECK_WORK/outbox"
# The operator's WAR: not in a checkout
WAR="$CHECK_WORK/dist/flowline.war"
cp "$WAR_SOURCE" "$WAR"
KEYS="k$(date +%Y%m%d):$(openssl rand -base64 32)"

log "Payara Server $PAYARA_VERSION from Maven Central"
mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="fish.payara.distributions:payara:$PAYARA_VERSION:zip" \
    -DoutputDirectory="$CHECK_WORK" >/dev/null 2>&1 || die "could not get fish.payara.distributions:payara:$PAYARA_VERSION:zip"
PAYARA_ZIP="$CHECK_WORK/payara-$PAYARA_VERSION.zip"

# fresh_payara NAME: unpacks a new Payara Server into CHECK_WORK/NAME, its listeners on 127.0.0.1
fresh_payara() {
    rm -rf "${CHECK_WORK:?}/$1" && mkdir -p "$CHECK_WORK/$1"
    unzip -q "$PAYARA_ZIP" -d "$CHECK_WORK/$1"
    ASADMIN="$CHECK_WORK/$1/payara6/bin/asadmin"
    DOMAIN_DIR="$CHECK_WORK/$1/payara6/glassfish/domains/domain1"
    sed -i -E '0,/<\/network-listeners>/ s#(<network-listener protocol="(http-listener-1|http-listener-2|admin-listener)")#\1 address="127.0.0.1"#' \
        "$DOMAIN_DIR/config/domain.xml"
}

stop_domain() {
    if [[ -n "$ASADMIN" && -x "$ASADMIN" ]]; then "$ASADMIN" stop-domain >/dev/null 2>&1 || true; fi
}
trap '[[ "$KEEP_SERVER" == 1 ]] || stop_domain' EXIT

server_pid() { cat "$DOMAIN_DIR/config/pid"; }
# the whole server log, oldest first (server.log rotates at 2 MB into server.log_<time>)
server_log() { local f; for f in $(ls -tr "$DOMAIN_DIR"/logs/server.log*); do cat "$f"; done; }

wait_ready() {
    local deadline=$((SECONDS + ${1:-120}))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" == 200 ]]; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# verification_token EMAIL: the token in the verification email to EMAIL in the outbox folder
verification_token() {
    outbox_verification_token "$CHECK_WORK/outbox" "$1"
}

# check_api ROUTE: health, signup (and its email), login, /me; records PASS/FAIL lines
check_api() {
    local route=$1 email="check-$1-$(date +%s)-$RANDOM@example.com" password="check-password-1234" body status token
    body=$(curl -s "$BASE/health/ready")
    if grep -q '"status":"UP"' <<<"$body"; then result PASS "$route: /health/ready UP"; else result FAIL "$route: /health/ready: $body"; fi
    status=$(curl -s -o "$CHECK_WORK/signup.json" -w '%{http_code}' "$BASE/api/v1/auth/signup" \
        -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Check\"}")
    if [[ "$status" == 201 ]]; then result PASS "$route: signup 201"; else result FAIL "$route: signup $status $(cat "$CHECK_WORK/signup.json")"; fi
    local verification=""
    for _ in $(seq 25); do
        verification=$(verification_token "$email") && [[ -n "$verification" ]] && break
        sleep 0.2
    done
    if [[ -n "$verification" ]]; then result PASS "$route: verification email in the outbox"; else result FAIL "$route: no verification email"; fi
    token=$(curl -s "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))' 2>/dev/null || true)
    if [[ -n "$token" ]]; then result PASS "$route: login"; else result FAIL "$route: login gave no token"; fi
    body=$(curl -s "$BASE/api/v1/me" -H "Authorization: Bearer $token")
    if grep -q "\"$email\"" <<<"$body"; then result PASS "$route: /api/v1/me"; else result FAIL "$route: /api/v1/me: $body"; fi
}

# no_secrets_in_domain_xml ROUTE
no_secrets_in_domain_xml() {
    local key_material=${KEYS#*:}
    if grep -qF -- "$CHECK_DB_PASSWORD" "$DOMAIN_DIR/config/domain.xml" || grep -qF -- "$key_material" "$DOMAIN_DIR/config/domain.xml"; then
        result FAIL "$1: domain.xml holds the database password or the encryption key in clear"
    else
        result PASS "$1: domain.xml holds neither the database password nor the key"
    fi
}

# alias NAME VALUE [create|update]: what `asadmin create-password-alias NAME` asks for at its prompts
alias_value() {
    local pwfile="$CHECK_WORK/alias.pw"
    (umask 077 && printf 'AS_ADMIN_ALIASPASSWORD=%s\n' "$2" >"$pwfile")
    "$ASADMIN" --passwordfile "$pwfile" "${3:-create}-password-alias" "$1" >/dev/null
    rm -f "$pwfile"
}

deploy() { "$ASADMIN" deploy --contextroot / --name flowline "$WAR" >"$CHECK_WORK/deploy.out" 2>&1; }

route_file() {
    log "== route file: asadmin multimode --file (a fresh Payara Server)"
    fresh_payara route-file
    "$ASADMIN" start-domain >/dev/null
    cp "$REPO_DIR/server-config/payara-server.asadmin" "$CHECK_WORK/flowline.asadmin"
    # The operator's edits: the database, the public address, an outbox folder instead of SMTP
    sed -i -E \
        -e "s#(flowline\.db\.url --propertyValue=)[^ ]+#\1$CHECK_DB_URL#" \
        -e "s#(flowline\.db\.user --propertyValue=)[^ ]+#\1$CHECK_DB_USER#" \
        -e "s#(flowline\.public-base-url --propertyValue=)[^ ]+#\1$BASE#" \
        -e 's#^(set-config-property --propertyName=flowline\.mail\.smtp\.)#\#\1#' \
        -e "s#^\#(set-config-property --propertyName=flowline\.mail\.outbox-dir --propertyValue=)[^ ]+#\1$CHECK_WORK/outbox#" \
        "$CHECK_WORK/flowline.asadmin"
    # A mistake first: a wrong database password
    alias_value flowline-db-password "not-the-password"
    alias_value flowline-encryption-keys "$KEYS"
    "$ASADMIN" multimode --file "$CHECK_WORK/flowline.asadmin" >"$CHECK_WORK/multimode.out" 2>&1 \
        || { cat "$CHECK_WORK/multimode.out" >&2; die "multimode failed"; }
    if deploy; then result FAIL "file: deploy with a wrong database password succeeded"; else
        result PASS "file: deploy with a wrong database password fails ($(grep -o 'password authentication failed[^.]*' "$CHECK_WORK/deploy.out" | head -1))"; fi
    alias_value flowline-db-password "$CHECK_DB_PASSWORD" update
    if deploy; then
        log "the corrected alias was used at once (no stale cached value this time)"
        "$ASADMIN" undeploy flowline >/dev/null
    else
        result PASS "file: corrected alias, deploy at once still fails (Payara's 60 s MicroProfile Config cache)"
    fi
    local restarted
    restarted=$(date +%s)
    "$ASADMIN" restart-domain >/dev/null
    log "restart-domain took $(($(date +%s) - restarted)) s"
    local started
    started=$(date +%s)
    if deploy && wait_ready 60; then
        result PASS "file: after restart-domain the deploy works ($(($(date +%s) - started)) s to ready)"
    else
        result FAIL "file: deploy after restart-domain: $(tail -5 "$CHECK_WORK/deploy.out")"
        return
    fi
    no_secrets_in_domain_xml file
    check_api file
    "$ASADMIN" undeploy flowline >/dev/null
    stop_domain
}

route_env() {
    log "== route env: environment variables (a fresh Payara Server)"
    fresh_payara route-env
    local env_file="$CHECK_WORK/flowline.env"
    (umask 077 && cp "$REPO_DIR/server-config/flowline.env.example" "$env_file")
    sed -i -E \
        -e "s#^FLOWLINE_DB_URL=.*#FLOWLINE_DB_URL=$CHECK_DB_URL#" \
        -e "s#^FLOWLINE_DB_USER=.*#FLOWLINE_DB_USER=$CHECK_DB_USER#" \
        -e "s#^FLOWLINE_DB_PASSWORD=.*#FLOWLINE_DB_PASSWORD='$CHECK_DB_PASSWORD'#" \
        -e "s#^FLOWLINE_PUBLIC_BASE_URL=.*#FLOWLINE_PUBLIC_BASE_URL=$BASE#" \
        -e "s#^FLOWLINE_ENCRYPTION_KEYS=.*#FLOWLINE_ENCRYPTION_KEYS=$KEYS#" \
        -e 's#^(FLOWLINE_MAIL_SMTP_)#\#\1#' \
        -e "s#^\#FLOWLINE_MAIL_OUTBOX_DIR=.*#FLOWLINE_MAIL_OUTBOX_DIR=$CHECK_WORK/outbox#" \
        "$env_file"
    (set -a && . "$env_file" && set +a && "$ASADMIN" start-domain >/dev/null)
    local started
    started=$(date +%s)
    # deployed from a shell without the variables: only the domain's environment counts
    if deploy && wait_ready 60; then
        result PASS "env: deploy works ($(($(date +%s) - started)) s to ready)"
    else
        result FAIL "env: deploy: $(tail -5 "$CHECK_WORK/deploy.out")"
        return
    fi
    no_secrets_in_domain_xml env
    check_api env
}

# flowline_loaders: "<class loaders holding dev.flowline classes> <dev.flowline classes loaded>" after a full GC
flowline_loaders() {
    local pid
    pid=$(server_pid)
    jcmd "$pid" GC.run >/dev/null
    jcmd "$pid" VM.classloaders show-classes | awk '
        /\+-- / { inloader = 1; counted = 0 }
        /dev\.flowline\./ { classes++; if (!counted) { loaders++; counted = 1 } }
        END { printf "%d %d\n", loaders, classes }'
}

heap_used_mb() { jcmd "$(server_pid)" GC.heap_info | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { print int($(i + 1)) / 1024; exit } }'; }

redeploy_cycles() {
    log "== $CYCLES deploy/undeploy cycles on one Payara Server"
    "$ASADMIN" undeploy flowline >/dev/null
    local log_lines cycle started ready_times="" severe leak_warnings loaders classes
    read -r loaders classes < <(flowline_loaders)
    log "before the cycles (application undeployed): $loaders class loaders with $classes dev.flowline classes; heap $(heap_used_mb) MB used"
    log_lines=$(server_log | wc -l)
    for cycle in $(seq 1 "$CYCLES"); do
        started=$(date +%s.%N)
        deploy || { result FAIL "cycle $cycle: deploy failed: $(tail -5 "$CHECK_WORK/deploy.out")"; return; }
        wait_ready 60 || { result FAIL "cycle $cycle: not ready"; return; }
        ready_times+=" $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
        curl -s -o /dev/null "$BASE/api/v1/auth/signup" -H 'Content-Type: application/json' \
            -d "{\"email\":\"cycle-$cycle-$RANDOM@example.com\",\"password\":\"check-password-1234\",\"name\":\"Cycle\"}"
        "$ASADMIN" undeploy flowline >/dev/null || { result FAIL "cycle $cycle: undeploy failed"; return; }
    done
    log "deploy-to-ready seconds per cycle:$ready_times"
    sleep "$SETTLE_SECONDS"
    read -r loaders classes < <(flowline_loaders)
    log "after $CYCLES cycles and ${SETTLE_SECONDS} s: $loaders class loaders with $classes dev.flowline classes; heap $(heap_used_mb) MB used"
    # What may still hold the last copies for a while: the default managed executor's idle thread (up to its 60 s
    # keep-alive; it captured the AccessControlContext of the code that made it start) and the connection pool's
    # resizer task, which the pool timer's thread keeps until its time (the pool's 300 s idle timeout). Count again
    # every 30 s until none is left or POOL_SETTLE_SECONDS have passed.
    local waited=0
    while ((loaders > 0 && waited < POOL_SETTLE_SECONDS)); do
        sleep 30
        waited=$((waited + 30))
        read -r loaders classes < <(flowline_loaders)
        log "after $((SETTLE_SECONDS + waited)) s: $loaders class loaders with $classes dev.flowline classes; heap $(heap_used_mb) MB used"
    done
    local new_log="$CHECK_WORK/cycles.log"
    server_log | tail -n +"$((log_lines + 1))" >"$new_log"
    severe=$(grep -c '\[SEVERE\]' "$new_log" || true)
    leak_warnings=$(grep -c -E 'failed to (remove|unregister|stop)|memory leak' "$new_log" || true)
    log "WARNING records during the cycles: $(grep -c '\[WARNING\]' "$new_log" || true) in all," \
        "$(grep -c -E '\[WARNING\] \[[^]]*\] \[dev\.flowline' "$new_log" || true) from Flowline," \
        "$(grep -c -E '\[WARNING\] \[[^]]*\] \[(javax|jakarta)\.enterprise\.(resource|ejb)' "$new_log" || true) from Payara's pools and EJB container"
    if ((loaders == 0)); then result PASS "cycles: no class loader holds dev.flowline classes after $CYCLES redeploys"; else
        result FAIL "cycles: $loaders class loaders ($classes dev.flowline classes) still alive after $CYCLES redeploys"; fi
    if ((severe == 0)); then result PASS "cycles: no SEVERE record"; else
        result FAIL "cycles: $severe SEVERE records (see $new_log)"; fi
    if ((leak_warnings == 0)); then result PASS "cycles: no leak warning from the web container"; else
        result FAIL "cycles: $leak_warnings leak warnings (see $new_log)"; fi
}

for route in $ROUTES; do
    case "$route" in
        file) route_file ;;
        env) route_env ;;
        *) die "unknown route $route (file, env)" ;;
    esac
done
if ((CYCLES > 0)); then
    [[ "$ROUTES" == *env* ]] || route_env
    redeploy_cycles
fi

printf '\n'
printf '%s\n' "${RESULTS[@]}"
printf '%d failed\n' "$FAILURES"
((FAILURES == 0))
