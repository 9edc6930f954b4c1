package dev.flowline.workflows.definition.expression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A compiled CEL expression over two variables: {@code input} (the run's input, a map) and {@code nodes} (the
 * outputs of the nodes that finished, by node id). CEL has no access to Java classes, the file system, the network
 * or the clock; its functions are the standard ones (arithmetic, comparison, string functions, {@code matches} with
 * RE2, which runs in linear time) and its macros ({@code has}, {@code all}, {@code exists}, {@code exists_one},
 * {@code map}, {@code filter}). Compiling parses and type-checks: the variables are maps of {@code dyn}, so what
 * depends on the data is checked when it runs.
 * <p>
 * Compiled expressions are kept in a bounded cache by source text (a program is immutable and thread-safe), so a
 * run's steps do not compile the same text again.
 */
public final class Expression {

    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 4_096;

    private static final int MAX_NESTING = 100;
    private static final Pattern RUNTIME_PREFIX = Pattern.compile("^evaluation error at <input>:(\\d+): ");
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    .maxExpressionCodePointSize(MAX_LENGTH)
                    .maxParseRecursionDepth(MAX_NESTING)
                    .enableHeterogeneousNumericComparisons(true)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("input", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("nodes", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();
    private static final Cache<String, Expression> COMPILED = Caffeine.newBuilder().maximumSize(2_000).build();

    private final CelKind resultKind;
    private final String resultType;
    private final CelRuntime.Program program;

    private Expression(CelKind resultKind, String resultType, CelRuntime.Program program) {
        this.resultKind = resultKind;
        this.resultType = resultType;
        this.program = program;
    }

    /**
     * @throws ExpressionException when {@code source} is too long, does not parse or does not type-check; the
     *         message says where (line and column)
     */
    public static Expression compile(String source) {
        if (source.length() > MAX_LENGTH) {
            throw new ExpressionException("must be at most " + MAX_LENGTH + " characters");
        }
        if (source.isBlank()) {
            throw new ExpressionException("must not be blank");
        }
        Expression cached = COMPILED.getIfPresent(source);
        if (cached != null) {
            return cached;
        }
        try {
            CelAbstractSyntaxTree ast = CEL.compile(source).getAst();
            Expression compiled = new Expression(ast.getResultType().kind(), ast.getResultType().name(),
                    CEL.createProgram(ast));
            COMPILED.put(source, compiled);
            return compiled;
        } catch (CelValidationException e) {
            throw new ExpressionException("is not a valid expression: " + describe(e));
        } catch (CelEvaluationException e) {
            throw new ExpressionException("is not a valid expression: " + e.getMessage());
        }
    }

    /** Whether the expression can produce a boolean: its type is {@code bool}, or known only from the data. */
    public boolean mayBeBoolean() {
        return resultKind == CelKind.BOOL || resultKind == CelKind.DYN || resultKind == CelKind.ANY;
    }

    /** Whether the expression can produce a list: its type is a list, or known only from the data. */
    public boolean mayBeList() {
        return resultKind == CelKind.LIST || resultKind == CelKind.DYN || resultKind == CelKind.ANY;
    }

    /** The type the checker found, such as {@code bool}, {@code string} or {@code dyn}. */
    public String resultType() {
        return resultType;
    }

    /**
     * The expression's value as JSON, within {@code limits}: {@code maxBytes} bounds every value built on the way
     * and the result (values taken unchanged from {@code input} or {@code nodes} are not copied, but a result that
     * is one of them is measured too).
     *
     * @throws ExpressionException when the evaluation fails, goes over a limit, or produces what JSON cannot hold
     */
    public JsonValue evaluate(JsonObject input, Map<String, JsonValue> nodes, ExpressionLimits limits) {
        Evaluation evaluation = new Evaluation(limits);
        Object value = run(evaluation, input, nodes);
        evaluation.checkSize(value);
        return evaluation.toJson(value);
    }

    /**
     * The expression's value as a boolean, within {@code limits}.
     *
     * @throws ExpressionException when the evaluation fails, goes over a limit, or produces something else
     */
    public boolean test(JsonObject input, Map<String, JsonValue> nodes, ExpressionLimits limits) {
        Object value = run(new Evaluation(limits), input, nodes);
        if (value instanceof Boolean result) {
            return result;
        }
        throw new ExpressionException("produced " + describeKind(value) + " where a boolean is needed");
    }

    private Object run(Evaluation evaluation, JsonObject input, Map<String, JsonValue> nodes) {
        Map<String, Object> variables = Map.of("input", evaluation.view(input), "nodes", evaluation.viewMembers(nodes));
        try {
            return program.trace(variables, evaluation);
        } catch (CelEvaluationException e) {
            if (e.getCause() instanceof ExpressionException limit) {
                throw limit;
            }
            throw new ExpressionException("failed: " + runtimeMessage(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new ExpressionException("nests too deeply to evaluate");
        }
    }

    private static String runtimeMessage(String message) {
        if (message == null) {
            return "(no detail)";
        }
        Matcher prefix = RUNTIME_PREFIX.matcher(message);
        return prefix.find() ? message.substring(prefix.end()) + " (at character " + prefix.group(1) + ")" : message;
    }

    private static String describe(CelValidationException e) {
        return e.getErrors().stream().limit(3).map(Expression::describe).collect(Collectors.joining("; "));
    }

    private static String describe(CelIssue issue) {
        return issue.getMessage() + " (line " + issue.getSourceLocation().getLine() + ", column "
                + (issue.getSourceLocation().getColumn() + 1) + ")";
    }

    private static String describeKind(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof java.util.List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        return "a value of type " + value.getClass().getSimpleName();
    }
}
