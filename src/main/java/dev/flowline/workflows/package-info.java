/**
 * Workflows as people edit them: settings, validated definitions ({@code definition/}), immutable numbered versions,
 * and the trigger settings that belong to a workflow: its schedule (cron, time zone, missed-firing policy) and its
 * webhook (public id, encrypted signing secret). Uses {@code workspaces} and {@code platform}; knows nothing of runs.
 */
package dev.flowline.workflows;
