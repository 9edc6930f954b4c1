/**
 * The audit log: who changed what, when and from where, recorded once, append-only, in the transaction of the change.
 * The areas it records (users, auth, workspaces, connections, workflows, billing) know nothing of it: they fire
 * domain events ({@code AccountActivity}, {@code WorkspaceActivity}, {@code ConnectionActivity},
 * {@code WorkflowActivity}) that {@link dev.flowline.audit.AuditLog} observes synchronously, so a rolled-back change
 * leaves no event. Read through {@code GET /workspaces/{id}/audit} (owners and admins), {@code GET /me/audit} and
 * {@code GET /admin/workspaces/{id}/audit} (operators), as pages or as NDJSON for a SIEM. Pruned per plan by
 * {@code engine}'s retention job ({@link dev.flowline.audit.AuditRetention}), the only area that uses this one.
 */
package dev.flowline.audit;
