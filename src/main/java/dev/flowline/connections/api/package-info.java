/**
 * The connections API: the OAuth authorize and callback endpoints, the caller's own connections
 * ({@code /me/connections}) and the connections shared into a workspace ({@code /workspaces/{id}/connections}).
 * Responses never carry token values.
 */
package dev.flowline.connections.api;
