package dev.flowline.runs;

import dev.flowline.platform.errors.ResourceNotFoundException;

/** The typed errors of runs and dead letters. */
public final class RunErrors {

    private RunErrors() {
    }

    public static final class RunNotFoundException extends ResourceNotFoundException {
        public RunNotFoundException() {
            super("run-not-found", "No such run", "This workspace has no such run.");
        }
    }

    public static final class DeadLetterNotFoundException extends ResourceNotFoundException {
        public DeadLetterNotFoundException() {
            super("dead-letter-not-found", "No such dead letter", "This workspace has no such dead letter.");
        }
    }
}
