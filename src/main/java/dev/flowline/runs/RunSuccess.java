package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** A leased run that succeeded: its steps not written yet and its output (the last step's). */
public record RunSuccess(UUID runId, List<StepRecord> steps, JsonObject output) {
}
