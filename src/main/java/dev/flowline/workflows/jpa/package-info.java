/**
 * {@link dev.flowline.workflows.WorkflowRepository} on PostgreSQL: entities for the workflow, run and trigger tables
 * (never seen outside this package; reads are JPQL projections mapped to the domain records) and native SQL for what
 * needs PostgreSQL ({@code ON CONFLICT} for idempotent runs and upserts, {@code FOR UPDATE SKIP LOCKED} for the
 * scheduler's claim).
 */
package dev.flowline.workflows.jpa;
