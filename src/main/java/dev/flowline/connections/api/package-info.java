/**
 * The connections API: the OAuth authorize and callback endpoints, the caller's own connections
 * ({@code /me/connections}) and credentials ({@code /me/credentials}), and the connections and credentials shared
 * into a workspace ({@code /workspaces/{id}/connections}, {@code /workspaces/{id}/credentials}). Responses never
 * carry token or secret values.
 */
package dev.flowline.connections.api;
