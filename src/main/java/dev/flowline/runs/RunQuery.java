package dev.flowline.runs;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A page of runs of a workspace (optionally of one workflow), newest first: {@code statuses} empty means any,
 * {@code queuedFrom} inclusive and {@code queuedBefore} exclusive bound the queue time; {@code before} is the
 * keyset of the previous page's last run; {@code parentRunId} (nullable) keeps the children of that run.
 */
public record RunQuery(UUID workspaceId, UUID workflowId, Set<RunStatus> statuses, Instant queuedFrom,
                       Instant queuedBefore, Keyset before, int limit, UUID parentRunId) {

    public RunQuery(UUID workspaceId, UUID workflowId, Set<RunStatus> statuses, Instant queuedFrom,
                    Instant queuedBefore, Keyset before, int limit) {
        this(workspaceId, workflowId, statuses, queuedFrom, queuedBefore, before, limit, null);
    }
}
