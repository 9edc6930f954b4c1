/**
 * {@link dev.flowline.workflows.WorkflowRepository}, {@link dev.flowline.workflows.ScheduleRepository} and
 * {@link dev.flowline.workflows.WebhookRepository} on PostgreSQL: entities for the workflow, version, schedule and
 * webhook tables (never seen outside this package; reads are JPQL projections mapped to the domain records) and
 * native SQL for what needs PostgreSQL (upserts with {@code ON CONFLICT}, {@code FOR UPDATE SKIP LOCKED} for the
 * schedule claim). Used by no other area.
 */
package dev.flowline.workflows.jpa;
