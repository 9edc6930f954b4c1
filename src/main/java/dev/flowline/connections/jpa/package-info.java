/**
 * Connections on PostgreSQL: {@code user_oauth_tokens}, {@code workspace_connections},
 * {@code oauth_authorizations}, and the credentials that are not OAuth ({@code user_credentials},
 * {@code workspace_credentials}), in native SQL where locking and upserts need it.
 */
package dev.flowline.connections.jpa;
