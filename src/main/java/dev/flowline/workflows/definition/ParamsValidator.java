package dev.flowline.workflows.definition;

import dev.flowline.workflows.definition.expression.Expression;
import dev.flowline.workflows.definition.expression.ExpressionException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks one node's {@code params} against its type; the limits here are also what {@link NodeType#documentation()} states. */
final class ParamsValidator {

    static final int MAX_URL_LENGTH = 2048;
    static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    static final int MAX_HEADERS = 50;
    static final int MIN_TIMEOUT_SECONDS = 1;
    static final int MAX_TIMEOUT_SECONDS = 120;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final List<String> OPERATORS =
            List.of("eq", "ne", "gt", "gte", "lt", "lte", "contains", "exists", "not_exists");
    static final int MIN_DELAY_SECONDS = 1;
    static final int MAX_DELAY_SECONDS = 604_800; // a week
    static final int MIN_WAIT_SECONDS = 1;
    static final int MAX_WAIT_SECONDS = 2_592_000; // 30 days
    static final int DEFAULT_WAIT_SECONDS = 604_800; // 7 days
    static final int MAX_CASES = 50;
    static final int MIN_CALL_TIMEOUT_SECONDS = 1;
    static final int MAX_CALL_TIMEOUT_SECONDS = 2_592_000; // 30 days
    static final int DEFAULT_CALL_TIMEOUT_SECONDS = CallParams.DEFAULT_TIMEOUT_SECONDS;
    static final int MIN_CONCURRENCY = 1;
    static final int MAX_CONCURRENCY = 50;
    static final Pattern CASE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final List<String> HTTP_REQUEST_PARAMS =
            List.of("url", "method", "headers", "body", "timeoutSeconds", "connectionId", "credentialId");
    private static final List<String> CONDITION_PARAMS = List.of("left", "operator", "right", "expression");
    private static final List<String> COMPARISON_PARAMS = List.of("left", "operator", "right");
    private static final List<String> CALL_PARAMS = List.of("workflowId", "input", "timeoutSeconds");
    private static final List<String> FOR_EACH_PARAMS =
            List.of("workflowId", "items", "concurrency", "mode", "timeoutSeconds");
    private static final List<String> CASE_KEYS = List.of("name", "expression");
    private static final Set<String> UNARY_OPERATORS = Set.of("exists", "not_exists");
    // RFC 9110 token characters; anything else would make the request fail only at run time.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    // Strict form: UUID.fromString also accepts abbreviations such as "1-2-3-4-5".
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);

    private final FieldReader reader;
    private final TemplateChecker templates;

    ParamsValidator(FieldReader reader, TemplateChecker templates) {
        this.reader = reader;
        this.templates = templates;
    }

    /** {@code field} names the params object, e.g. {@code definition.nodes[greet].params}. */
    void validate(NodeType type, JsonObject params, String field) {
        switch (type) {
            case TRIGGER_MANUAL -> noParams(params, field, "trigger.manual takes no params");
            case TRIGGER_SCHEDULE -> noParams(params, field, "trigger.schedule takes no params; "
                    + "set the cron expression and time zone with PUT /workflows/{id}/schedule");
            case TRIGGER_WEBHOOK -> noParams(params, field, "trigger.webhook takes no params; "
                    + "its URL and secret are managed by the webhook endpoints");
            case HTTP_REQUEST -> httpRequest(params, field);
            case LOGIC_CONDITION -> condition(params, field);
            case LOGIC_SWITCH -> logicSwitch(params, field);
            case DATA_SET -> dataSet(params, field);
            case DATA_TRANSFORM -> transform(params, field);
            case FLOW_DELAY -> delay(params, field);
            case FLOW_MERGE -> noParams(params, field, "flow.merge takes no params");
            case FLOW_WAIT -> flowWait(params, field);
            case FLOW_CALL -> call(params, field);
            case FLOW_FOREACH -> forEach(params, field);
        }
    }

    private void noParams(JsonObject params, String field, String why) {
        reader.refuseUnknown(params, List.of(), field, "is not a parameter: " + why);
    }

    private void httpRequest(JsonObject params, String field) {
        refuseUnknown(params, HTTP_REQUEST_PARAMS, field, NodeType.HTTP_REQUEST);
        String url = reader.string(params, "url", field + ".url", true);
        if (url != null) {
            checkUrl(url, field + ".url");
        }
        String method = reader.string(params, "method", field + ".method", false);
        if (method != null && !HTTP_METHODS.contains(method)) {
            reader.problems().add(field + ".method", "must be one of " + String.join(", ", HTTP_METHODS));
        }
        JsonObject headers = reader.object(params, "headers", field + ".headers", false);
        if (headers != null) {
            checkHeaders(headers, field + ".headers");
        }
        JsonValue body = params.get("body");
        if (body != null) {
            templates.checkAll(body, field + ".body");
        }
        reader.wholeNumber(params, "timeoutSeconds", field + ".timeoutSeconds", false,
                MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
        String connectionId = reader.string(params, "connectionId", field + ".connectionId", false);
        if (connectionId != null && !UUID.matcher(connectionId).matches()) {
            reader.problems().add(field + ".connectionId", "must be a UUID");
        }
        String credentialId = reader.string(params, "credentialId", field + ".credentialId", false);
        if (credentialId != null && !UUID.matcher(credentialId).matches()) {
            reader.problems().add(field + ".credentialId", "must be a UUID");
        }
        if (connectionId != null && credentialId != null) {
            reader.problems().add(field + ".credentialId", "must not be set together with connectionId: a request"
                    + " sends one connection's token or one credential");
        }
    }

    /**
     * A secret written into a definition is stored in clear in every version and readable by every viewer: it
     * belongs in a credential. A template (a value the run brings) is allowed; its expanded value is redacted in
     * steps. Never echoes the value.
     */
    private void refuseLiteralSecret(String name, String value, String field, String what) {
        if (SecretNames.isSecret(name) && !value.isBlank() && !TEMPLATE.matcher(value).find()) {
            reader.problems().add(field, what + " " + name + " holds a secret as literal text, which every version of"
                    + " the workflow would keep in clear; store it as a credential (POST /api/v1/me/credentials) and"
                    + " set credentialId, or take it from the run with a template such as {{input.token}}");
        }
    }

    private void refuseLiteralSecretsInQuery(String url, String field) {
        int question = url.indexOf('?');
        if (question < 0) {
            return;
        }
        int hash = url.indexOf('#', question);
        String query = url.substring(question + 1, hash < 0 ? url.length() : hash);
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
                refuseLiteralSecret(name, pair.substring(equals + 1), field, "query parameter");
            }
        }
    }

    private void checkUrl(String url, String field) {
        if (url.length() > MAX_URL_LENGTH) {
            reader.problems().add(field, "must be at most " + MAX_URL_LENGTH + " characters");
            return;
        }
        if (!templates.check(url, field)) {
            return;
        }
        try {
            refuseLiteralSecretsInQuery(url, field);
        } catch (IllegalArgumentException e) {
            reader.problems().add(field, "has an invalid %-escape in its query");
            return;
        }
        // Templates stand for values known only at run time; a placeholder lets URI judge the literal rest.
        String literal = TEMPLATE.matcher(url).replaceAll("x");
        try {
            URI uri = new URI(literal);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!web || uri.isOpaque() || uri.getRawAuthority() == null) {
                reader.problems().add(field, "must be an absolute http:// or https:// URL"
                        + (url.startsWith(TemplateChecker.OPEN) ? " (a template cannot supply the scheme)" : ""));
            }
        } catch (URISyntaxException e) {
            reader.problems().add(field, "is not a valid URL: " + e.getReason());
        }
    }

    private void checkHeaders(JsonObject headers, String field) {
        if (headers.size() > MAX_HEADERS) {
            reader.problems().add(field, "must have at most " + MAX_HEADERS + " headers");
            return;
        }
        headers.forEach((name, value) -> {
            String header = field + "." + name;
            if (!HEADER_NAME.matcher(name).matches()) {
                reader.problems().add(header, "is not a valid header name");
            }
            if (!(value instanceof JsonString string)) {
                reader.problems().add(header, "must be a string");
            } else if (string.getString().indexOf('\r') >= 0 || string.getString().indexOf('\n') >= 0) {
                reader.problems().add(header, "must not contain line breaks");
            } else if (templates.check(string.getString(), header)) {
                refuseLiteralSecret(name, string.getString(), header, "header");
            }
        });
    }

    private void condition(JsonObject params, String field) {
        refuseUnknown(params, CONDITION_PARAMS, field, NodeType.LOGIC_CONDITION);
        if (params.containsKey("expression")) {
            List<String> both = COMPARISON_PARAMS.stream().filter(params::containsKey).toList();
            if (!both.isEmpty()) {
                reader.problems().add(field + ".expression", "must not be set together with "
                        + String.join(", ", both) + ": a condition is an expression or a comparison");
            }
            booleanExpression(params, field + ".expression");
            return;
        }
        JsonValue left = reader.value(params, "left", field + ".left", true);
        if (left != null) {
            templates.checkAll(left, field + ".left");
        }
        String operator = reader.string(params, "operator", field + ".operator", true);
        if (operator != null && !OPERATORS.contains(operator)) {
            reader.problems().add(field + ".operator", "must be one of " + String.join(", ", OPERATORS));
            operator = null; // whether right belongs is unknowable now
        }
        JsonValue right = params.get("right");
        if (operator != null && UNARY_OPERATORS.contains(operator) && right != null) {
            reader.problems().add(field + ".right", "must be absent when operator is " + operator);
        } else if (operator != null && !UNARY_OPERATORS.contains(operator) && right == null) {
            reader.problems().add(field + ".right", "is required when operator is " + operator);
        }
        if (right != null) {
            templates.checkAll(right, field + ".right");
        }
    }

    private void dataSet(JsonObject params, String field) {
        refuseUnknown(params, List.of("values"), field, NodeType.DATA_SET);
        JsonObject values = reader.object(params, "values", field + ".values", true);
        if (values != null && values.isEmpty()) {
            reader.problems().add(field + ".values", "must have at least one entry");
        } else if (values != null) {
            templates.checkAll(values, field + ".values");
        }
    }

    private void transform(JsonObject params, String field) {
        refuseUnknown(params, List.of("expression"), field, NodeType.DATA_TRANSFORM);
        expression(params, "expression", field + ".expression");
    }

    private void logicSwitch(JsonObject params, String field) {
        refuseUnknown(params, List.of("cases"), field, NodeType.LOGIC_SWITCH);
        JsonArray cases = reader.array(params, "cases", field + ".cases", true);
        if (cases == null) {
            return;
        }
        if (cases.isEmpty() || cases.size() > MAX_CASES) {
            reader.problems().add(field + ".cases", "must have 1 to " + MAX_CASES + " cases (has " + cases.size() + ")");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            String at = field + ".cases[" + i + "]";
            if (!(cases.get(i) instanceof JsonObject entry)) {
                reader.problems().add(at, "must be an object {\"name\", \"expression\"}");
                continue;
            }
            reader.refuseUnknown(entry, CASE_KEYS, at, "is not a property of a case (allowed: name, expression)");
            String name = reader.string(entry, "name", at + ".name", true);
            if (name != null && (!CASE_NAME.matcher(name).matches() || name.equals(Edge.WHEN_DEFAULT))) {
                reader.problems().add(at + ".name", "must be 1 to 64 letters, digits, '_' or '-', and not \""
                        + Edge.WHEN_DEFAULT + "\"");
            } else if (name != null && !names.add(name)) {
                reader.problems().add(at + ".name", "repeats the case name '" + name + "'");
            }
            booleanExpression(entry, at + ".expression");
        }
    }

    /**
     * The names of a {@code logic.switch} node's cases that are well formed, in order: what its edges may name.
     * Empty when the cases are unreadable (their problems are reported by {@link #validate}).
     */
    static Optional<List<String>> caseNames(JsonObject params) {
        if (params == null || !(params.get("cases") instanceof JsonArray cases)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (JsonValue entry : cases) {
            if (entry instanceof JsonObject object && object.get("name") instanceof JsonString name) {
                names.add(name.getString());
            }
        }
        return Optional.of(names);
    }

    private void booleanExpression(JsonObject params, String field) {
        Expression expression = expression(params, "expression", field);
        if (expression != null && !expression.mayBeBoolean()) {
            reader.problems().add(field, "must produce a boolean (its type is " + expression.resultType() + ")");
        }
    }

    /** The compiled expression at {@code key}, or null after reporting why there is none. */
    private Expression expression(JsonObject params, String key, String field) {
        String source = reader.string(params, key, field, true);
        if (source == null) {
            return null;
        }
        try {
            return Expression.compile(source);
        } catch (ExpressionException e) {
            reader.problems().add(field, e.getMessage());
            return null;
        }
    }

    private void delay(JsonObject params, String field) {
        refuseUnknown(params, List.of("seconds"), field, NodeType.FLOW_DELAY);
        reader.wholeNumber(params, "seconds", field + ".seconds", true, MIN_DELAY_SECONDS, MAX_DELAY_SECONDS);
    }

    private void flowWait(JsonObject params, String field) {
        refuseUnknown(params, List.of("timeoutSeconds"), field, NodeType.FLOW_WAIT);
        reader.wholeNumber(params, "timeoutSeconds", field + ".timeoutSeconds", false, MIN_WAIT_SECONDS,
                MAX_WAIT_SECONDS);
    }

    private void call(JsonObject params, String field) {
        refuseUnknown(params, CALL_PARAMS, field, NodeType.FLOW_CALL);
        workflowId(params, field);
        JsonObject input = reader.object(params, "input", field + ".input", false);
        if (input != null) {
            templates.checkAll(input, field + ".input");
        }
        reader.wholeNumber(params, "timeoutSeconds", field + ".timeoutSeconds", false,
                MIN_CALL_TIMEOUT_SECONDS, MAX_CALL_TIMEOUT_SECONDS);
    }

    private void forEach(JsonObject params, String field) {
        refuseUnknown(params, FOR_EACH_PARAMS, field, NodeType.FLOW_FOREACH);
        workflowId(params, field);
        Expression items = expression(params, "items", field + ".items");
        if (items != null && !items.mayBeList()) {
            reader.problems().add(field + ".items", "must produce a list (its type is " + items.resultType() + ")");
        }
        reader.wholeNumber(params, "concurrency", field + ".concurrency", false, MIN_CONCURRENCY, MAX_CONCURRENCY);
        String mode = reader.string(params, "mode", field + ".mode", false);
        if (mode != null && !CallParams.MODES.contains(mode)) {
            reader.problems().add(field + ".mode", "must be one of " + String.join(", ", CallParams.MODES));
        }
        reader.wholeNumber(params, "timeoutSeconds", field + ".timeoutSeconds", false,
                MIN_CALL_TIMEOUT_SECONDS, MAX_CALL_TIMEOUT_SECONDS);
    }

    /** The form only; whether it names another workflow of the workspace is the service's check (it has the store). */
    private void workflowId(JsonObject params, String field) {
        String workflowId = reader.string(params, "workflowId", field + ".workflowId", true);
        if (workflowId != null && !UUID.matcher(workflowId).matches()) {
            reader.problems().add(field + ".workflowId", "must be a UUID");
        }
    }

    private void refuseUnknown(JsonObject params, List<String> allowed, String field, NodeType type) {
        reader.refuseUnknown(params, allowed, field,
                "is not a parameter of " + type.wireName() + " (allowed: " + String.join(", ", allowed) + ")");
    }
}
