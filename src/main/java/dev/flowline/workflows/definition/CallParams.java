package dev.flowline.workflows.definition;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The params of {@code flow.call} and {@code flow.forEach} that the engine and the workflow service read too. */
public final class CallParams {

    public static final int DEFAULT_TIMEOUT_SECONDS = 86_400;
    public static final String MODE_FAIL_FAST = "failFast";
    public static final String MODE_ALL = "all";
    static final List<String> MODES = List.of(MODE_FAIL_FAST, MODE_ALL);

    private CallParams() {
    }

    /** Whether a node of this type starts child runs of the workflow its {@code workflowId} names. */
    public static boolean startsChildRuns(NodeType type) {
        return type == NodeType.FLOW_CALL || type == NodeType.FLOW_FOREACH;
    }

    /** The workflow a validated node names; empty for other nodes. */
    public static Optional<UUID> workflowId(Node node) {
        return startsChildRuns(node.type()) && node.params().get("workflowId") instanceof JsonString id
                ? Optional.of(UUID.fromString(id.getString())) : Optional.empty();
    }

    public static int timeoutSeconds(JsonObject params) {
        return params.containsKey("timeoutSeconds")
                ? params.getJsonNumber("timeoutSeconds").intValue() : DEFAULT_TIMEOUT_SECONDS;
    }
}
