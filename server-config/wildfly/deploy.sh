#!/usr/bin/env bash
# Deploys the built WAR on an unpacked WildFly 39 against an external PostgreSQL, as an operator would:
# installs the modules and writes standalone-flowline.xml (prepare-server.sh), starts the server with it unless one
# answers on the management port already, deploys target/flowline.war, and waits until /health/ready says UP.
#
#   mvn package -DskipTests        # target/flowline.war and target/wildfly-modules/ (EclipseLink, PostgreSQL driver)
#   export FLOWLINE_DB_URL=jdbc:postgresql://db:5432/flowline FLOWLINE_DB_USER=flowline FLOWLINE_DB_PASSWORD=...
#   export FLOWLINE_ENCRYPTION_KEYS=... FLOWLINE_MAIL_SMTP_HOST=...   # and the rest of server-config/flowline.env.example
#   server-config/wildfly/deploy.sh /opt/wildfly-39.0.1.Final
#
# The server started here reads its settings from this shell's environment and runs in the background (log:
# WILDFLY_HOME/standalone/log/server.log; stop: WILDFLY_HOME/bin/jboss-cli.sh -c :shutdown). For production run
# `standalone.sh -c standalone-flowline.xml` under your service manager with the environment file instead, and use
# this script's steps (prepare-server.sh, then `jboss-cli.sh -c "deploy --force flowline.war"`).
# WILDFLY_BIND (default 127.0.0.1) is the HTTP address; the management interface stays on 127.0.0.1:9990.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
home=$(cd "${1:?usage: deploy.sh WILDFLY_HOME [WAR]}" && pwd)
war=${2:-$root/target/flowline.war}
modules=$root/target/wildfly-modules
cli="$home/bin/jboss-cli.sh"
[ -f "$war" ] || { echo "$war is missing: run mvn package -DskipTests" >&2; exit 1; }
eclipselink=$(ls "$modules"/eclipselink-*.jar 2>/dev/null | head -1)
postgresql=$(ls "$modules"/postgresql-*.jar 2>/dev/null | head -1)
[ -n "$eclipselink" ] && [ -n "$postgresql" ] || { echo "$modules has no jars: run mvn package -DskipTests" >&2; exit 1; }
for key in FLOWLINE_DB_URL FLOWLINE_DB_USER FLOWLINE_DB_PASSWORD; do
    [ -n "${!key:-}" ] || { echo "$key is not set (see server-config/flowline.env.example)" >&2; exit 1; }
done

management_answers() { "$cli" -c --command=":read-attribute(name=server-state)" >/dev/null 2>&1; }

if management_answers; then
    echo "A WildFly answers on the management port: deploying to it (it must run standalone-flowline.xml)"
else
    "$here/prepare-server.sh" "$home" "$eclipselink" "$postgresql"
    echo "Starting WildFly (log: $home/standalone/log/server.log)"
    nohup "$home/bin/standalone.sh" -c standalone-flowline.xml -b "${WILDFLY_BIND:-127.0.0.1}" \
        > "$home/standalone/log/console.out" 2>&1 &
    for _ in $(seq 1 120); do management_answers && break; sleep 1; done
    management_answers || { echo "WildFly did not start: see $home/standalone/log/console.out" >&2; exit 1; }
fi

"$cli" -c --command="deploy --force $war --name=flowline.war"
for _ in $(seq 1 60); do
    if curl -fsS http://127.0.0.1:9990/health/ready >/dev/null 2>&1; then
        echo "Flowline is ready: http://${WILDFLY_BIND:-127.0.0.1}:8080/api/v1 (health and metrics: http://127.0.0.1:9990/health, /metrics)"
        exit 0
    fi
    sleep 1
done
echo "Deployed, but /health/ready is not UP after 60 s:" >&2
curl -sS http://127.0.0.1:9990/health/ready >&2 || true
exit 1
