/**
 * The audit log over HTTP: {@code GET /workspaces/{id}/audit}, {@code GET /me/audit} and the operators'
 * {@code GET /admin/workspaces/{id}/audit}, as keyset pages or streamed as NDJSON ({@code ?format=ndjson} or
 * {@code Accept: application/x-ndjson}).
 */
package dev.flowline.audit.api;
