package dev.flowline.runs;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.runs.RunErrors.DeadLetterNotFoundException;
import dev.flowline.runs.RunErrors.RunNotFoundException;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowErrors.WorkflowDisabledException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workspaces.VerifiedEmail;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.flowline.runs.DeadLetterRequeue.Result;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead letters: runs whose retries are exhausted. Requeuing starts a new run (trigger RETRY) of the same
 * workflow version with the same input, from the start: nodes are not assumed idempotent, so partial progress is
 * not resumed. The dead run keeps its history.
 */
@ApplicationScoped
@Transactional
public class DeadLetterService {

    public static final int MAX_BULK_REQUEUE = 100;

    @Inject
    WorkflowRepository workflows;

    @Inject
    RunRepository runs;

    @Inject
    DeadLetterRepository deadLetters;

    @Inject
    WorkspaceAccess access;

    @Inject
    RunLauncher launcher;

    @Inject
    VerifiedEmail verifiedEmail;

    @Inject
    Event<RunActivity> activity;

    public Page<DeadLetter> list(UUID workspaceId, UUID userId, String cursor, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        int size = Keyset.limit(limit);
        return Keyset.page(deadLetters.listDeadLetters(workspaceId, Keyset.decode(cursor), size), size,
                letter -> new Keyset(letter.createdAt(), letter.id()));
    }

    public CreateWorkflowRunOutcome requeue(UUID workspaceId, UUID deadLetterId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        // Locked until commit: a concurrent requeue of the same letter waits, then finds it deleted (404).
        DeadLetter letter = deadLetters.lockDeadLetter(workspaceId, deadLetterId).orElseThrow(DeadLetterNotFoundException::new);
        WorkflowRun dead = runs.findRun(workspaceId, letter.runId()).orElseThrow(RunNotFoundException::new);
        Workflow workflow = workflows.find(workspaceId, letter.workflowId()).orElseThrow(WorkflowNotFoundException::new);
        if (!workflow.enabled()) {
            throw new WorkflowDisabledException();
        }
        CreateWorkflowRunOutcome outcome = launcher.launch(workflow, RunRequest.retry(dead, userId));
        if (outcome instanceof CreateWorkflowRunOutcome.Created created) {
            deadLetters.deleteDeadLetter(workspaceId, deadLetterId);
            activity.fire(RunActivity.deadLetterRequeued(userId, letter, created.run()));
        } else if (outcome instanceof CreateWorkflowRunOutcome.AlreadyExisted existed) {
            deadLetters.deleteDeadLetter(workspaceId, deadLetterId);
            activity.fire(RunActivity.deadLetterRequeued(userId, letter, existed.run()));
        }
        return outcome;
    }

    /**
     * Requeues up to {@value #MAX_BULK_REQUEUE} dead letters in one transaction, answering what happened to each, in
     * the order asked (a repeated id once). Every letter is locked first, in one statement and in id order, before
     * any other lock (the quota row, the runs): two overlapping bulk requeues then wait for each other instead of
     * deadlocking, and the one that waits finds the letters the other requeued gone ({@code NOT_FOUND}).
     */
    public List<DeadLetterRequeue> requeueAll(UUID workspaceId, List<UUID> deadLetterIds, UUID userId) {
        if (deadLetterIds.size() > MAX_BULK_REQUEUE) {
            throw new InvalidInputException("At most " + MAX_BULK_REQUEUE + " dead letters can be requeued at once.");
        }
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        List<UUID> asked = List.copyOf(new LinkedHashSet<>(deadLetterIds));
        Map<UUID, DeadLetter> locked = new HashMap<>();
        for (DeadLetter letter : deadLetters.lockDeadLetters(workspaceId, asked)) {
            locked.put(letter.id(), letter);
        }
        List<DeadLetterRequeue> results = new ArrayList<>();
        for (UUID id : asked) {
            DeadLetter letter = locked.get(id);
            results.add(letter == null ? DeadLetterRequeue.not(id, Result.NOT_FOUND) : requeueLocked(letter, userId));
        }
        return results;
    }

    private DeadLetterRequeue requeueLocked(DeadLetter letter, UUID userId) {
        Optional<WorkflowRun> dead = runs.findRun(letter.workspaceId(), letter.runId());
        Optional<Workflow> workflow = workflows.find(letter.workspaceId(), letter.workflowId());
        if (dead.isEmpty() || workflow.isEmpty()) {
            return DeadLetterRequeue.not(letter.id(), Result.NOT_FOUND);
        }
        if (!workflow.get().enabled()) {
            return DeadLetterRequeue.not(letter.id(), Result.WORKFLOW_DISABLED);
        }
        CreateWorkflowRunOutcome outcome = launcher.launch(workflow.get(), RunRequest.retry(dead.get(), userId));
        if (outcome instanceof CreateWorkflowRunOutcome.RefusedByQuota) {
            return DeadLetterRequeue.not(letter.id(), Result.QUOTA_EXHAUSTED);
        }
        deadLetters.deleteDeadLetter(letter.workspaceId(), letter.id());
        WorkflowRun run = outcome instanceof CreateWorkflowRunOutcome.Created created ? created.run()
                : ((CreateWorkflowRunOutcome.AlreadyExisted) outcome).run();
        activity.fire(RunActivity.deadLetterRequeued(userId, letter, run));
        return new DeadLetterRequeue(letter.id(), Result.REQUEUED, run);
    }

    public void discard(UUID workspaceId, UUID deadLetterId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        if (!deadLetters.deleteDeadLetter(workspaceId, deadLetterId)) {
            throw new DeadLetterNotFoundException();
        }
        activity.fire(RunActivity.deadLetterDiscarded(userId, workspaceId, deadLetterId));
    }
}
