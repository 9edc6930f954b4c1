package dev.flowline.engine;

import java.time.Duration;

/**
 * What a worker needs of its dispatcher: the instance's name, for how long a renewal lasts, and whether to stop. A walk
 * writes under its claim's holder ({@code leased_by} of the claimed run), not under {@link #owner}.
 */
public interface EngineLease {

    String owner();

    Duration duration();

    /** The instance is shutting down: give the run back before its next step. */
    boolean stopping();
}
