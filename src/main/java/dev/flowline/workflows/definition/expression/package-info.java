/**
 * The expression language of workflow definitions: CEL (Common Expression Language, {@code dev.cel:cel}) with two
 * variables, {@code input} and {@code nodes}. {@link dev.flowline.workflows.definition.expression.Expression}
 * compiles (at save time, to refuse what does not parse or type-check) and evaluates (in the engine) under
 * {@link dev.flowline.workflows.definition.expression.ExpressionLimits}: a cost in evaluation steps, a time limit and
 * a size limit on every value an evaluation builds. Here rather than in the engine so that validation and execution
 * share one language; it depends only on JSON-P, {@code platform.json} and CEL.
 */
package dev.flowline.workflows.definition.expression;
