#!/usr/bin/env bash
# After deploy.sh: one pass through the API as a new user would make it, against a server that writes its emails to
# an outbox folder (FLOWLINE_MAIL_OUTBOX_DIR): signup, the emailed verification, login, a team workspace and an
# invitation, a workflow with a webhook trigger, a signed delivery answered with the run's output, a forged one
# refused, the run, readiness, and Flowline's and the pool's metrics. Needs bash, curl, openssl and grep.
# Usage: smoke.sh OUTBOX_DIR [BASE_URL (http://127.0.0.1:8080)] [MANAGEMENT_URL (http://127.0.0.1:9990)]
set -euo pipefail
outbox=${1:?usage: smoke.sh OUTBOX_DIR [BASE_URL] [MANAGEMENT_URL]}
api=${2:-http://127.0.0.1:8080}/api/v1
management=${3:-http://127.0.0.1:9990}
email="smoke-$(date +%s)-$RANDOM@example.com"
password="correct horse battery staple"
failures=0

field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
check() { # name expected actual
    if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected $2, got $3"; failures=$((failures + 1)); fi
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
json=(-H 'Content-Type: application/json')

check signup 201 "$(status "$api/auth/signup" "${json[@]}" -d "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Smoke\"}")"
token=$(curl -s "$api/auth/login" "${json[@]}" -d "{\"email\":\"$email\",\"password\":\"$password\"}" | field token)
auth=(-H "Authorization: Bearer $token")
check "anonymous /me" 401 "$(status "$api/me")"
check "/me" 200 "$(status "$api/me" "${auth[@]}")"
sleep 1
verification=$(grep -l "$email" "$outbox"/* | xargs grep -ho 'token=[A-Za-z0-9_-]*' | tail -1 | cut -d= -f2)
check "verification email" yes "$([ -n "$verification" ] && echo yes || echo no)"
check "verify in the session" 204 "$(status "$api/auth/verify-email" "${auth[@]}" "${json[@]}" -d "{\"token\":\"$verification\"}")"
workspace=$(curl -s "$api/workspaces" "${auth[@]}" "${json[@]}" -d '{"name":"Smoke team"}' | field id)
check "team workspace" yes "$([ -n "$workspace" ] && echo yes || echo no)"
check invitation 201 "$(status "$api/workspaces/$workspace/invitations" "${auth[@]}" "${json[@]}" -d '{"email":"bo@example.com","role":"MEMBER"}')"
workflow=$(curl -s "$api/workspaces/$workspace/workflows" "${auth[@]}" "${json[@]}" -d '{"name":"Greeting","definition":{"nodes":[{"id":"hook","type":"trigger.webhook","params":{}},{"id":"set","type":"data.set","params":{"values":{"greeting":"Hello {{input.name}}"}}}],"edges":[{"from":"hook","to":"set"}]}}')
hook=$(echo "$workflow" | field url)
secret=$(echo "$workflow" | field secret)
body='{"name":"Bo"}'
timestamp=$(date +%s)
signature=$(printf '%s' "$timestamp.$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/.*= //')
answer=$(curl -s "$hook" "${json[@]}" -H "X-Flowline-Timestamp: $timestamp" -H "X-Flowline-Signature: sha256=$signature" -H 'Prefer: wait=10' -d "$body")
check "signed webhook ran" '"greeting":"Hello Bo"' "$(echo "$answer" | grep -o '"greeting":"Hello Bo"' || true)"
check "forged webhook" 401 "$(status "$hook" "${json[@]}" -H "X-Flowline-Timestamp: $timestamp" -H 'X-Flowline-Signature: sha256=00' -d "$body")"
check "the run" SUCCEEDED "$(curl -s "$api/workspaces/$workspace/runs" "${auth[@]}" | field status)"
check readiness 200 "$(status "$management/health/ready")"
metrics=$(curl -s "$management/metrics")
check "engine metrics" yes "$(grep -q '^flowline_engine_runs_total.*succeeded' <<< "$metrics" && echo yes || echo no)"
check "pool metrics" yes "$(grep -q '^datasources_pool_in_use_count.*Flowline' <<< "$metrics" && echo yes || echo no)"
[ "$failures" -eq 0 ] && echo "smoke test passed" || { echo "$failures check(s) failed"; exit 1; }
