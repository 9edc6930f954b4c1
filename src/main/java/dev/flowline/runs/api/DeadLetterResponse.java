package dev.flowline.runs.api;

import dev.flowline.runs.DeadLetter;

import java.time.Instant;
import java.util.UUID;

public record DeadLetterResponse(UUID id, UUID workflowId, UUID runId, String error, String lastNodeId, int attempts,
                                 Instant createdAt) {

    static DeadLetterResponse of(DeadLetter d) {
        return new DeadLetterResponse(d.id(), d.workflowId(), d.runId(), d.error(), d.lastNodeId(), d.attempts(), d.createdAt());
    }
}
