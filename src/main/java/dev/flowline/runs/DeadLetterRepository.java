package dev.flowline.runs;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead letters: runs whose retries are exhausted, kept for people to requeue or discard. Implemented by
 * {@code JpaDeadLetterRepository} on PostgreSQL and by test doubles.
 */
public interface DeadLetterRepository {

    /**
     * Moves a run whose retries are exhausted to DEAD_LETTERED and files its dead letter, in one transaction
     * (the engine's; tests use it until the engine exists).
     */
    DeadLetter deadLetter(UUID runId, String error, String lastNodeId, Instant now);

    /** Dead letters newest first by (created_at, id), {@code limit + 1} rows. */
    List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit);

    Optional<DeadLetter> findDeadLetter(UUID workspaceId, UUID deadLetterId);

    /**
     * The dead letter under a row lock held until the caller's transaction ends, so that two requeues of one letter
     * cannot both start a run: the second waits, then finds it gone.
     */
    Optional<DeadLetter> lockDeadLetter(UUID workspaceId, UUID deadLetterId);

    /**
     * The workspace's dead letters among {@code deadLetterIds}, locked in id order in one statement (held until the
     * caller's transaction ends), so that callers locking overlapping sets wait for each other and never deadlock.
     * A letter deleted while waiting for its lock is not answered. Order of the answer: by id.
     */
    List<DeadLetter> lockDeadLetters(UUID workspaceId, Collection<UUID> deadLetterIds);

    /** Removes the dead letter (requeued or discarded); its run keeps its DEAD_LETTERED history. */
    boolean deleteDeadLetter(UUID workspaceId, UUID deadLetterId);
}
