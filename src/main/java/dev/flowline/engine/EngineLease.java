package dev.flowline.engine;

import java.time.Duration;

/** What a worker needs of its dispatcher: whose lease it holds, for how long a renewal lasts, and whether to stop. */
public interface EngineLease {

    String owner();

    Duration duration();

    /** The instance is shutting down: give the run back before its next step. */
    boolean stopping();
}
