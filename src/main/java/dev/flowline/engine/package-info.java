/**
 * Background work on every instance, on the container's managed executor (run steps) and on threads from its managed
 * thread factory that end with the application ({@code FixedDelayJob}): the run {@code Dispatcher} and
 * {@code RunExecutor} (claims, leases, the walk through a run's graph, retries), the schedule poller, the retention
 * job, the connections job (token refresh, re-encryption), the job sending overage to Stripe
 * ({@code OverageReportJob}), and the engine's metrics. May use every area; no area uses it.
 */
package dev.flowline.engine;
