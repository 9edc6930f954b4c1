/**
 * Connections on PostgreSQL: {@code user_oauth_tokens}, {@code workspace_connections} and
 * {@code oauth_authorizations}, in native SQL where locking and upserts need it.
 */
package dev.flowline.connections.jpa;
