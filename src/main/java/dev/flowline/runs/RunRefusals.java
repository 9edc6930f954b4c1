package dev.flowline.runs;

import dev.flowline.workspaces.RunQuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The engine's refusal of a leased run that never started (its workflow was disabled meanwhile): the run is
 * canceled and its quota unit given back in one transaction, so a crash between the two can neither keep the unit
 * of a run that never ran nor give it back twice.
 */
@ApplicationScoped
@Transactional
public class RunRefusals {

    @Inject
    RunQueue queue;

    @Inject
    RunQuotaService quotas;

    /** Answers whether the run was refused (it had not started and {@code owner} still held it). */
    public boolean refuse(WorkflowRun run, String owner, String reason, Instant now) {
        return queue.refuse(run.id(), owner, reason, now)
                .map(unit -> {
                    quotas.release(run.workspaceId(), unit.periodStart(), unit.kind());
                    return true;
                })
                .orElse(false);
    }
}
