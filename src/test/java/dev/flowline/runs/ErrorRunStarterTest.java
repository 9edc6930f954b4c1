package dev.flowline.runs;

import dev.flowline.workflows.InMemoryWorkflowRepository;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowSettings;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A request whose error run cannot be started is recorded, not left first in line to hold back the others. */
class ErrorRunStarterTest {

    private static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");

    @Test
    void aLaunchThatFailsIsRecordedAsRefusedAndTheNextRequestIsTaken() {
        UUID workspace = UUID.randomUUID();
        InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
        Workflow onError = workflows.create(workspace, new WorkflowSettings("On error", null, true, 1, null, null,
                Json.createObjectBuilder().build(), "trigger.manual"), UUID.randomUUID(), NOW);
        Requests requests = new Requests();
        ErrorRunRequest first = requests.add(workspace, onError.id());
        ErrorRunRequest second = requests.add(workspace, onError.id());
        List<UUID> launched = new ArrayList<>();
        ErrorRunStarter starter = new ErrorRunStarter();
        starter.requests = requests;
        starter.workflows = workflows;
        starter.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        starter.launcher = new SeparateRunLaunch() {
            @Override
            public CreateWorkflowRunOutcome launch(Workflow workflow, RunRequest request) {
                launched.add(UUID.fromString(request.input().getString("runId")));
                throw new IllegalStateException("the launch failed");
            }
        };

        assertThat(starter.startNext()).isTrue();
        assertThat(starter.startNext()).isTrue();
        assertThat(starter.startNext()).as("nothing pending any more").isFalse();

        assertThat(launched).containsExactly(first.runId(), second.runId());
        assertThat(requests.refused).containsExactly(
                Map.entry(first.id(), "The error run could not be started (IllegalStateException)."),
                Map.entry(second.id(), "The error run could not be started (IllegalStateException)."));
    }

    /** Pending requests in order, as the SQL takes them (the oldest first). */
    private static final class Requests implements ErrorRunRepository {

        final Map<UUID, ErrorRunRequest> pending = new LinkedHashMap<>();
        final List<Map.Entry<UUID, String>> refused = new ArrayList<>();

        ErrorRunRequest add(UUID workspace, UUID errorWorkflowId) {
            ErrorRunRequest request = new ErrorRunRequest(UUID.randomUUID(), workspace, UUID.randomUUID(),
                    UUID.randomUUID(), "Failing", errorWorkflowId, "call", "boom", 3, NOW);
            pending.put(request.id(), request);
            return request;
        }

        @Override
        public Optional<ErrorRunRequest> lockNextPending() {
            return pending.values().stream().findFirst();
        }

        @Override
        public void markStarted(UUID requestId, UUID errorRunId, Instant now) {
            pending.remove(requestId);
        }

        @Override
        public void markRefused(UUID requestId, String reason, Instant now) {
            pending.remove(requestId);
            refused.add(Map.entry(requestId, reason));
        }

        @Override
        public Optional<ErrorRunOutcome> outcomeFor(UUID runId) {
            return Optional.empty();
        }
    }
}
