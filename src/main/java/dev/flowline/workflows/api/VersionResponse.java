package dev.flowline.workflows.api;

import dev.flowline.workflows.WorkflowVersion;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

public record VersionResponse(int number, JsonObject definition, UUID createdBy, Instant createdAt) {

    static VersionResponse of(WorkflowVersion version) {
        return new VersionResponse(version.number(), version.definition(), version.createdBy(), version.createdAt());
    }
}
