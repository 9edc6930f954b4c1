package dev.flowline.workflows.definition;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Objects;

/** One step of a workflow. {@code params} are the type's parameters, already checked by {@link DefinitionValidator}. */
public record Node(String id, NodeType type, JsonObject params) {

    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        // Absent params mean "none", so the canonical form can always write an object.
        params = params == null ? JsonValue.EMPTY_JSON_OBJECT : params;
    }
}
