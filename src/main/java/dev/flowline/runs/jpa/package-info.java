/**
 * {@link dev.flowline.runs.RunRepository} and {@link dev.flowline.runs.DeadLetterRepository} on PostgreSQL, with the
 * run, step and dead-letter entities; native SQL for idempotent inserts ({@code ON CONFLICT DO NOTHING}), guarded
 * cancels ({@code UPDATE ... RETURNING}) and retention batches ({@code SKIP LOCKED}). Used by no other area.
 */
package dev.flowline.runs.jpa;
