/**
 * The database as every area uses it: the datasource (JNDI {@code java:app/jdbc/flowline}), the Liquibase migration
 * at start-up, JPA converters (JSON, instants, nullable uuids), SQL timestamp and keyset parameter helpers for the
 * areas' {@code jpa/} repositories.
 */
package dev.flowline.platform.persistence;
