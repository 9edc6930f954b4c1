#!/usr/bin/env bash
# Makes an unpacked WildFly ready for Flowline: the EclipseLink and PostgreSQL modules (install-modules.sh) and
# standalone/configuration/standalone-flowline.xml, a fresh copy of standalone.xml configured by configure.cli.
# Safe to run again (after a WildFly or Flowline upgrade): it starts again from standalone.xml.
# Usage: prepare-server.sh WILDFLY_HOME ECLIPSELINK_JAR POSTGRESQL_JAR
# Start the server with: WILDFLY_HOME/bin/standalone.sh -c standalone-flowline.xml
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=$(cd "${1:?WILDFLY_HOME}" && pwd)
"$here/install-modules.sh" "$home" "${2:?eclipselink jar}" "${3:?postgresql jar}"
config="$home/standalone/configuration"
cp "$config/standalone.xml" "$config/standalone-flowline.xml"
JBOSS_HOME="$home" "$home/bin/jboss-cli.sh" --file="$here/configure.cli" > "$config/configure-flowline.log" 2>&1 \
    || { cat "$config/configure-flowline.log" >&2; echo "configure.cli failed on $config/standalone-flowline.xml" >&2; exit 1; }
grep -q 'java:jboss/datasources/flowline' "$config/standalone-flowline.xml" \
    || { echo "configure.cli did not configure $config/standalone-flowline.xml" >&2; exit 1; }
echo "WildFly at $home is ready for Flowline: start it with -c standalone-flowline.xml"
