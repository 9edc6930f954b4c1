package dev.flowline.runs;

import dev.flowline.workspaces.RunConsumption;

import java.time.Instant;

/** The run-quota unit a run took when it was created: its billing period's start and its kind. */
public record TakenUnit(Instant periodStart, RunConsumption kind) {
}
