package dev.flowline.runs;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.testing.InMemoryRows;
import dev.flowline.workflows.InMemoryWorkflowDeleted;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import java.time.Instant;
import dev.flowline.testing.InMemoryRows;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.flowline.testing.InMemoryRows.micros;
import static dev.flowline.testing.InMemoryRows.pageBefore;

/**
 * {@link DeadLetterRepository} in memory, above {@link InMemoryRunRepository} (a dead letter is of a stored run, whose
 * status filing it changes). Mirrors {@code JpaDeadLetterRepository}: a letter is read only with its workspace;
 * letters are listed newest first by (created_at, id) in keyset pages of {@code limit + 1} rows; a run has at most
 * one letter ({@code uk_dead_letters_run_id}); deleting the workflow deletes its letters
 * ({@link InMemoryWorkflowDeleted}, the foreign keys' cascade). Times are rounded to
 * microseconds, ties of time broken in PostgreSQL's uuid order ({@link dev.flowline.testing.InMemoryRows}).
 *
 * <p>Not transactional: a write takes effect at once and {@link #lockDeadLetter} holds no lock. Every method is
 * synchronized. Test helper: {@link #clear()}.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryDeadLetterRepository implements DeadLetterRepository {

    @Inject
    InMemoryRunRepository runs;

    private final Map<UUID, DeadLetter> deadLetters = new LinkedHashMap<>();

    /** Forgets every dead letter (clear the runs too: they remember which runs have an open letter). */
    public synchronized void clear() {
        deadLetters.clear();
    }

    /** The workflow's deletion cascades to the letters of its runs. */
    synchronized void onWorkflowDeleted(@Observes InMemoryWorkflowDeleted deleted) {
        deadLetters.values().removeIf(letter -> letter.workflowId().equals(deleted.workflowId()));
    }

    /**
     * {@inheritDoc} An unknown run is an {@link IllegalArgumentException}; a run that already has a dead letter is an
     * {@link IllegalStateException} naming {@code uk_dead_letters_run_id}, and the run is left as it was (the JPA
     * repository's transaction rolls the status change back).
     */
    @Override
    public synchronized DeadLetter deadLetter(UUID runId, String error, String lastNodeId, Instant now) {
        if (!runs.exists(runId)) {
            throw new IllegalArgumentException("No run " + runId);
        }
        if (deadLetters.values().stream().anyMatch(letter -> letter.runId().equals(runId))) {
            throw new IllegalStateException("uk_dead_letters_run_id: run " + runId + " already has a dead letter");
        }
        Instant at = micros(now);
        WorkflowRun r = runs.deadLettered(runId, error, at);
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), r.workspaceId(), r.workflowId(), runId, error, lastNodeId,
                Math.max(1, r.attempt()), at);
        deadLetters.put(letter.id(), letter);
        return letter;
    }

    @Override
    public synchronized List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit) {
        return pageBefore(deadLetters.values().stream().filter(letter -> letter.workspaceId().equals(workspaceId)),
                DeadLetter::createdAt, DeadLetter::id, before, limit);
    }

    @Override
    public synchronized Optional<DeadLetter> findDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return Optional.ofNullable(deadLetters.get(deadLetterId)).filter(l -> l.workspaceId().equals(workspaceId));
    }

    /** Not transactional: answers like {@link #findDeadLetter}; the JPA repository holds a row lock. */
    @Override
    public synchronized Optional<DeadLetter> lockDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return findDeadLetter(workspaceId, deadLetterId);
    }

    /** Not transactional: answers like {@link #findDeadLetter} for each, by id in PostgreSQL's uuid order. */
    @Override
    public synchronized List<DeadLetter> lockDeadLetters(UUID workspaceId, Collection<UUID> deadLetterIds) {
        return deadLetterIds.stream().distinct().map(id -> findDeadLetter(workspaceId, id)).flatMap(Optional::stream)
                .sorted(Comparator.comparing(DeadLetter::id, InMemoryRows.PG_UUID_ORDER)).toList();
    }

    @Override
    public synchronized boolean deleteDeadLetter(UUID workspaceId, UUID deadLetterId) {
        Optional<DeadLetter> found = findDeadLetter(workspaceId, deadLetterId);
        found.ifPresent(letter -> {
            deadLetters.remove(letter.id());
            runs.letterClosed(letter.runId());
        });
        return found.isPresent();
    }
}
