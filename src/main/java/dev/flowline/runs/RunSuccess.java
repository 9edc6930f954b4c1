package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * A leased run that succeeded: the lease holder that ran it ({@code leased_by} as its claim set it), its steps not
 * written yet and its output (the last step's).
 */
public record RunSuccess(UUID runId, String owner, List<StepRecord> steps, JsonObject output) {
}
