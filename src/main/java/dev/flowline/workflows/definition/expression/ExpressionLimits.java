package dev.flowline.workflows.definition.expression;

/**
 * What one evaluation may spend: {@code maxCost} evaluation steps (every sub-expression evaluated counts one, in
 * each iteration of a macro such as {@code map} or {@code filter}), {@code maxMillis} of time (checked at each
 * step), and {@code maxBytes}: the JSON size that any value the evaluation builds may have, the result included
 * (the step's budget left, {@value #MAX_BYTES_SETTING}).
 */
public record ExpressionLimits(long maxCost, long maxMillis, long maxBytes) {

    public static final String MAX_COST_SETTING = "flowline.engine.expression-cost-limit";
    public static final String MAX_MILLIS_SETTING = "flowline.engine.expression-timeout-millis";
    /** The step budget's setting, which expressions share with templates. */
    public static final String MAX_BYTES_SETTING = "flowline.engine.max-step-output-bytes";
    public static final long DEFAULT_MAX_COST = 100_000;
    public static final long DEFAULT_MAX_MILLIS = 1_000;

    /** The same limits with {@code maxBytes} replaced (the step budget left when the evaluation starts). */
    public ExpressionLimits withMaxBytes(long bytes) {
        return new ExpressionLimits(maxCost, maxMillis, bytes);
    }
}
