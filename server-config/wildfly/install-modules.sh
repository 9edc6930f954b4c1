#!/usr/bin/env bash
# Installs the two modules Flowline needs into a WildFly, idempotently:
#  - EclipseLink, the JPA provider Flowline is built and tested on, into WildFly's own org.eclipse.persistence
#    module (which ships only the jipijapa adapter and waits for the jar: WildFly's documented way);
#  - the PostgreSQL JDBC driver as module org.postgresql, for the server datasource.
# Usage: install-modules.sh WILDFLY_HOME ECLIPSELINK_JAR POSTGRESQL_JAR
set -euo pipefail
home=${1:?WILDFLY_HOME}; eclipselink=${2:?eclipselink jar}; postgresql=${3:?postgresql jar}
modules="$home/modules/system/layers/base"

el_dir="$modules/org/eclipse/persistence/main"
[ -f "$el_dir/module.xml" ] || { echo "$el_dir/module.xml is missing: is $home a WildFly?" >&2; exit 1; }
rm -f "$el_dir"/eclipselink-*.jar
cp "$eclipselink" "$el_dir/"
el_jar=$(basename "$eclipselink")
# Keep the adapter's resource root; point the EclipseLink one at this jar; EclipseLink also needs these JDK modules.
sed -i -e '/path="eclipselink-/d' \
       -e "s#\(<resource-root path=\"jipijapa-eclipselink-[^\"]*\"/>\)#\1\n        <resource-root path=\"$el_jar\"/>#" \
       -e '/<module name="java\.\(rmi\|sql\|xml\|desktop\)"\/>/d' \
       -e 's#\(<module name="java.logging"/>\)#\1\n        <module name="java.rmi"/>\n        <module name="java.sql"/>\n        <module name="java.xml"/>\n        <module name="java.desktop"/>#' \
       "$el_dir/module.xml"
grep -q "$el_jar" "$el_dir/module.xml" || { echo "could not add $el_jar to $el_dir/module.xml" >&2; exit 1; }

pg_dir="$home/modules/org/postgresql/main"
mkdir -p "$pg_dir"
rm -f "$pg_dir"/postgresql-*.jar
cp "$postgresql" "$pg_dir/"
cat > "$pg_dir/module.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- The PostgreSQL JDBC driver, for the datasource of server-config/wildfly/configure.cli -->
<module name="org.postgresql" xmlns="urn:jboss:module:1.9">
    <resources>
        <resource-root path="$(basename "$postgresql")"/>
    </resources>
    <dependencies>
        <module name="java.logging"/>
        <module name="java.management"/>
        <module name="java.naming"/>
        <module name="java.security.jgss"/>
        <module name="java.sql"/>
        <module name="java.xml"/>
        <module name="jakarta.transaction.api"/>
    </dependencies>
</module>
XML
echo "EclipseLink $el_jar and PostgreSQL $(basename "$postgresql") installed as WildFly modules in $home"
