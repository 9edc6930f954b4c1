package dev.flowline.runs;

import jakarta.json.JsonValue;

import java.time.Instant;

/**
 * How a {@code flow.wait} node of a run ended ({@code run_resumes}): {@code body} is the JSON the resume URL was
 * called with ({@code {}} for an empty call), null for a timeout.
 */
public record RunResume(String nodeId, Outcome outcome, JsonValue body, Instant at) {

    public enum Outcome { RESUMED, TIMED_OUT }
}
