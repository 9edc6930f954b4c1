package dev.flowline.engine.nodes;

import dev.flowline.platform.json.JsonSize;
import dev.flowline.workflows.definition.expression.ExpressionLimits;
import jakarta.json.JsonValue;

/**
 * What one step's templates may make the server build: at most {@code maxBytes} of JSON (the size the resolved
 * params would have as UTF-8 JSON text) and at most {@code maxTemplates} template expressions. {@link Templates}
 * charges it while it expands, before it allocates what it charges, so a node that inserts a large earlier output
 * thousands of times fails after about one budget's worth of work instead of building the whole value. A value that
 * a template inserts is measured without being written ({@link JsonSize}), and no further than the budget left, so
 * measuring is bounded by the budget too.
 *
 * <p>One per step, used by one thread. Exceeding it is a {@link StepFailedException} that is not retried: the same
 * data would exceed it again.
 */
public final class StepBudget {

    public static final String MAX_BYTES_SETTING = ExpressionLimits.MAX_BYTES_SETTING;
    public static final String MAX_TEMPLATES_SETTING = "flowline.engine.max-templates-per-node";
    /** The settings' defaults, also what a {@link RunContext} built without a budget gets. */
    public static final int DEFAULT_MAX_BYTES = 524_288;
    public static final int DEFAULT_MAX_TEMPLATES = 1_000;

    private final String nodeId;
    private final long maxBytes;
    private final int maxTemplates;
    private long bytes;
    private int templates;

    /** {@code nodeId} names the node in messages; null when unknown. */
    public StepBudget(String nodeId, long maxBytes, int maxTemplates) {
        this.nodeId = nodeId;
        this.maxBytes = maxBytes;
        this.maxTemplates = maxTemplates;
    }

    public static StepBudget defaults(String nodeId) {
        return new StepBudget(nodeId, DEFAULT_MAX_BYTES, DEFAULT_MAX_TEMPLATES);
    }

    /** Bytes charged so far. */
    public long bytes() {
        return bytes;
    }

    /** Template expressions counted so far. */
    public int templates() {
        return templates;
    }

    /** Counts one template expression, before it is looked up. */
    void template() {
        if (++templates > maxTemplates) {
            throw new StepFailedException("Node " + name() + " has more than " + maxTemplates + " template expressions, the"
                    + " most a node may have (" + MAX_TEMPLATES_SETTING + ").", false);
        }
    }

    /** Charges {@code size} bytes that are about to be produced. */
    void charge(long size) {
        bytes += size;
        if (bytes > maxBytes) {
            throw new StepFailedException("The templates of node " + name() + " expand to more than " + maxBytes + " bytes, the most a step may"
                    + " produce (" + MAX_BYTES_SETTING + "); it stopped before building the rest.", false);
        }
    }

    /** Charges the JSON size of {@code value}, measured no further than the budget left. */
    void chargeValue(JsonValue value) {
        charge(JsonSize.of(value, remaining()));
    }

    /** Charges {@code text} as (part of) the content of a JSON string, measured no further than the budget left. */
    void chargeText(CharSequence text, int start, int end) {
        charge(JsonSize.ofContent(text, start, end, remaining()));
    }

    long remaining() {
        return Math.max(0, maxBytes - bytes);
    }

    private String name() {
        return nodeId == null ? "(unnamed)" : nodeId;
    }
}
