/**
 * The database as every area uses it: the datasource (JNDI {@code java:app/jdbc/flowline}, see {@link dev.flowline.platform.persistence.FlowlineDataSource}), the Liquibase migration
 * at start-up (on a thread of its own, so that Liquibase's thread-locals end with it), the release of the WAR's JDBC
 * driver when the application stops, JPA converters (JSON, instants, nullable uuids), SQL timestamp and keyset
 * parameter helpers for the areas' {@code jpa/} repositories.
 */
package dev.flowline.platform.persistence;
