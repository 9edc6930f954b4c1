package dev.flowline.engine.nodes;

/**
 * A step that did not succeed, with a message for the run's history (never a secret). A {@code retryable} failure
 * (a timeout, a 5xx, a refused connection) is retried by the workflow's retry policy; any other (a 4xx, a missing
 * template reference, an address the configuration forbids) dead-letters the run at once, since trying again cannot
 * help.
 */
public class StepFailedException extends RuntimeException {

    private final boolean retryable;

    public StepFailedException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public StepFailedException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
