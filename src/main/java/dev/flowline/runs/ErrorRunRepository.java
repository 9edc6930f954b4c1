package dev.flowline.runs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox between dead letters and error runs ({@code error_run_requests}). Requests are filed by the database in
 * the statement that inserts a dead letter (whichever path dead-letters the run), for a run whose workflow names an
 * error workflow and that is not itself an error run; this interface takes them from there.
 */
public interface ErrorRunRepository {

    /**
     * The oldest pending request, locked until the caller's transaction ends ({@code SKIP LOCKED}: instances take
     * different ones); empty when none is pending.
     */
    Optional<ErrorRunRequest> lockNextPending();

    /** The request was answered by the error workflow's run {@code errorRunId}. */
    void markStarted(UUID requestId, UUID errorRunId, Instant now);

    /** The error run was refused (quota used up, error workflow disabled); {@code reason} says why. */
    void markRefused(UUID requestId, String reason, Instant now);

    /** What happened to the dead-lettered run {@code runId}'s request: empty when none was filed. */
    Optional<ErrorRunOutcome> outcomeFor(UUID runId);

    /** A request's state: {@code outcome} null while pending, else STARTED (with the run) or REFUSED (with why). */
    record ErrorRunOutcome(UUID requestId, String outcome, UUID errorRunId, String refusal) {
    }
}
