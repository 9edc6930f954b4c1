package dev.flowline.engine.nodes;

import dev.flowline.platform.json.Jsons;
import dev.flowline.workflows.definition.Edge;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.expression.Expression;
import dev.flowline.workflows.definition.expression.ExpressionException;
import dev.flowline.workflows.definition.expression.ExpressionLimits;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The nodes that evaluate expressions: {@code logic.condition} with {@code expression}, {@code logic.switch} and
 * {@code data.transform}. Each evaluation gets the configured cost and time limits and, as its size limit, what the
 * step's {@link StepBudget} has left; the value it produces is then charged to that budget. Every failure is a
 * {@link StepFailedException} that is not retried (the same data would fail again), naming the node and the field.
 */
final class ExpressionNodes {

    /** What a switch outputs when no case matched, and the branch it then follows. */
    static final String DEFAULT_CASE = Edge.WHEN_DEFAULT;

    private ExpressionNodes() {
    }

    static boolean condition(Node node, RunContext context, ExpressionLimits limits) {
        return test(node, node.params().getString("expression"), "params.expression", context, limits);
    }

    /** {@code {"case": <name of the first case that holds>}} or {@code {"case": "default"}}. */
    static JsonObject choose(Node node, RunContext context, ExpressionLimits limits) {
        JsonArray cases = node.params().getJsonArray("cases");
        String chosen = DEFAULT_CASE;
        for (int i = 0; i < cases.size(); i++) {
            JsonObject entry = cases.getJsonObject(i);
            if (test(node, entry.getString("expression"), "params.cases[" + i + "].expression", context, limits)) {
                chosen = entry.getString("name");
                break;
            }
        }
        return Jsons.createObjectBuilder().add("case", chosen).build();
    }

    /** The expression's value when it is an object; any other value as {@code {"value": ...}}. */
    static JsonObject transform(Node node, RunContext context, ExpressionLimits limits) {
        String field = "params.expression";
        JsonValue value;
        try {
            value = Expression.compile(node.params().getString("expression"))
                    .evaluate(context.input(), context.outputs(), limits.withMaxBytes(context.budget().remaining()));
        } catch (ExpressionException e) {
            throw failed(node, field, e);
        }
        context.budget().chargeValue(value);
        return value instanceof JsonObject object ? object : Jsons.createObjectBuilder().add("value", value).build();
    }

    /** The list the expression at {@code params.<key>} produces (charged to the step's budget). */
    static JsonArray list(Node node, String key, RunContext context, ExpressionLimits limits) {
        String field = "params." + key;
        JsonValue value;
        try {
            value = Expression.compile(node.params().getString(key))
                    .evaluate(context.input(), context.outputs(), limits.withMaxBytes(context.budget().remaining()));
        } catch (ExpressionException e) {
            throw failed(node, field, e);
        }
        if (!(value instanceof JsonArray array)) {
            throw new StepFailedException("The expression of node " + node.id() + " (" + field + ") produced "
                    + value.getValueType().name().toLowerCase(java.util.Locale.ROOT) + ", not a list.", false);
        }
        context.budget().chargeValue(array);
        return array;
    }

    private static boolean test(Node node, String source, String field, RunContext context, ExpressionLimits limits) {
        try {
            boolean result = Expression.compile(source).test(context.input(), context.outputs(),
                    limits.withMaxBytes(context.budget().remaining()));
            context.budget().charge(5);
            return result;
        } catch (ExpressionException e) {
            throw failed(node, field, e);
        }
    }

    private static StepFailedException failed(Node node, String field, ExpressionException e) {
        return new StepFailedException("The expression of node " + node.id() + " (" + field + ") " + e.getMessage()
                + ".", false);
    }
}
