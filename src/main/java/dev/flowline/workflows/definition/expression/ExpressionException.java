package dev.flowline.workflows.definition.expression;

/**
 * An expression that does not compile, failed while evaluating (a missing key, a division by zero, a type without
 * the operator), produced a value JSON cannot hold, or went over one of its {@link ExpressionLimits}. The message is
 * for a person and never quotes the data.
 */
public class ExpressionException extends RuntimeException {

    public ExpressionException(String message) {
        super(message);
    }
}
