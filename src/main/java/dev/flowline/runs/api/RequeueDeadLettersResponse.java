package dev.flowline.runs.api;

import dev.flowline.runs.DeadLetterRequeue;

import java.util.List;
import java.util.UUID;

/**
 * What a bulk requeue did with each dead letter asked for, in the order asked: {@code result} REQUEUED with the new
 * {@code run}, or NOT_FOUND, WORKFLOW_DISABLED, QUOTA_EXHAUSTED (the letter stays, except when not found).
 */
public record RequeueDeadLettersResponse(List<Item> items) {

    public record Item(UUID deadLetterId, DeadLetterRequeue.Result result, RunResponse run) {
    }

    static RequeueDeadLettersResponse of(List<DeadLetterRequeue> requeues) {
        return new RequeueDeadLettersResponse(requeues.stream()
                .map(r -> new Item(r.deadLetterId(), r.result(), r.run() == null ? null : RunResponse.of(r.run())))
                .toList());
    }
}
