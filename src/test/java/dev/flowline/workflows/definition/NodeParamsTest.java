package dev.flowline.workflows.definition;

import dev.flowline.platform.errors.FieldError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.flowline.workflows.definition.DefinitionJson.errors;
import static dev.flowline.workflows.definition.DefinitionJson.fields;
import static dev.flowline.workflows.definition.DefinitionJson.node;
import static dev.flowline.workflows.definition.DefinitionJson.valid;
import static org.assertj.core.api.Assertions.assertThat;

/** The params of each node type, checked through {@link DefinitionValidator}. */
class NodeParamsTest {

    private static final String PARAMS = "definition.nodes[n].params";

    @Nested
    class Triggers {

        private String trigger(String type, String params) {
            return "{'nodes': [{'id': 'start', 'type': '" + type + "', 'params': " + params + "}]}";
        }

        @ParameterizedTest
        @ValueSource(strings = {"trigger.manual", "trigger.schedule", "trigger.webhook"})
        void takeNoParams(String type) {
            assertThat(valid(trigger(type, "{}")).trigger().params()).isEmpty();
            assertThat(valid("{'nodes': [{'id': 'start', 'type': '" + type + "'}]}").trigger().params()).isEmpty();
            assertThat(fields(trigger(type, "{'anything': 1}"))).containsExactly("definition.nodes[start].params.anything");
        }

        @Test
        void saysWhereTheScheduleAndWebhookSettingsLive() {
            assertThat(errors(trigger("trigger.schedule", "{'cron': '0 * * * *'}"))).containsExactly(new FieldError(
                    "definition.nodes[start].params.cron", "is not a parameter: trigger.schedule takes no params; "
                            + "set the cron expression and time zone with PUT /workflows/{id}/schedule"));
            assertThat(errors(trigger("trigger.webhook", "{'secret': 'x'}"))).extracting(FieldError::message)
                    .singleElement().asString().contains("webhook endpoints");
        }
    }

    @Nested
    class HttpRequest {

        private String http(String params) {
            return node("http.request", params);
        }

        @Test
        void acceptsEveryParam() {
            Node request = valid(http("{'url': 'https://api.example.com/v1/users/{{input.userId}}?q={{ nodes.start.q }}',"
                    + " 'method': 'POST', 'headers': {'Accept': 'application/json', 'X-Trace': '{{input.trace}}'},"
                    + " 'body': {'name': '{{input.name}}', 'tags': ['a', 1, null]}, 'timeoutSeconds': 120,"
                    + " 'connectionId': '3F2504E0-4F89-11D3-9A0C-0305E82C3301'}")).node("n").orElseThrow();

            assertThat(request.params().getString("method")).isEqualTo("POST");
        }

        @Test
        void needsOnlyAUrl() {
            assertThat(valid(http("{'url': 'http://localhost:8080'}")).nodes()).hasSize(2);
        }

        @Test
        void theUrlIsARequiredString() {
            assertThat(errors(http("{}"))).containsExactly(new FieldError(PARAMS + ".url", "is required"));
            assertThat(errors(http("{'url': 42}"))).containsExactly(new FieldError(PARAMS + ".url", "must be a string"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/relative/path", "example.com/x", "ftp://example.com/file", "mailto:ann@example.com",
                "https://", "{{input.url}}", "{{input.scheme}}://example.com"})
        void theUrlIsAnAbsoluteHttpUrl(String url) {
            assertThat(fields(http("{'url': '" + url + "'}"))).containsExactly(PARAMS + ".url");
        }

        @Test
        void aTemplateCannotSupplyTheScheme() {
            assertThat(errors(http("{'url': '{{input.url}}'}"))).containsExactly(new FieldError(PARAMS + ".url",
                    "must be an absolute http:// or https:// URL (a template cannot supply the scheme)"));
        }

        @Test
        void aTemplateMaySupplyTheHostPathAndQuery() {
            assertThat(valid(http("{'url': 'HTTPS://{{input.host}}:8443/{{input.path}}?a={{input.a}}#top'}")).nodes())
                    .hasSize(2);
        }

        @Test
        void literalSpacesAreNotAUrl() {
            assertThat(errors(http("{'url': 'https://example.com/a b'}"))).containsExactly(
                    new FieldError(PARAMS + ".url", "is not a valid URL: Illegal character in path"));
        }

        @Test
        void theUrlHasAtMost2048Characters() {
            String prefix = "https://example.com/";
            assertThat(valid(http("{'url': '" + prefix + "a".repeat(2048 - prefix.length()) + "'}")).nodes()).hasSize(2);
            assertThat(errors(http("{'url': '" + prefix + "a".repeat(2049 - prefix.length()) + "'}")))
                    .containsExactly(new FieldError(PARAMS + ".url", "must be at most 2048 characters"));
        }

        @Test
        void theMethodIsOneOfSixInCapitals() {
            for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}) {
                assertThat(valid(http("{'url': 'https://x.io', 'method': '" + method + "'}")).nodes()).hasSize(2);
            }
            assertThat(errors(http("{'url': 'https://x.io', 'method': 'get'}"))).containsExactly(new FieldError(
                    PARAMS + ".method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD"));
            assertThat(fields(http("{'url': 'https://x.io', 'method': 'OPTIONS'}"))).containsExactly(PARAMS + ".method");
        }

        @Test
        void headersAreAnObjectOfStrings() {
            assertThat(errors(http("{'url': 'https://x.io', 'headers': ['Accept']}")))
                    .containsExactly(new FieldError(PARAMS + ".headers", "must be an object"));
            assertThat(errors(http("{'url': 'https://x.io', 'headers': {'X-Count': 3, 'Bad Name': 'v', "
                    + "'X-Split': 'a\\r\\nInjected: 1', 'X-Open': '{{input.a'}}")))
                    .containsExactly(
                            new FieldError(PARAMS + ".headers.X-Count", "must be a string"),
                            new FieldError(PARAMS + ".headers.Bad Name", "is not a valid header name"),
                            new FieldError(PARAMS + ".headers.X-Split", "must not contain line breaks"),
                            new FieldError(PARAMS + ".headers.X-Open", "has a '{{' without a closing '}}'"));
        }

        @Test
        void atMostFiftyHeaders() {
            String fifty = IntStream.range(0, 50).mapToObj(i -> "'X-" + i + "': 'v'").collect(Collectors.joining(", "));
            assertThat(valid(http("{'url': 'https://x.io', 'headers': {" + fifty + "}}")).nodes()).hasSize(2);
            assertThat(errors(http("{'url': 'https://x.io', 'headers': {" + fifty + ", 'X-50': 'v'}}")))
                    .containsExactly(new FieldError(PARAMS + ".headers", "must have at most 50 headers"));
        }

        @Test
        void theBodyIsAnyJson() {
            for (String body : new String[] {"null", "true", "3.5", "'text'", "[1, {'a': []}]", "{}"}) {
                assertThat(valid(http("{'url': 'https://x.io', 'method': 'POST', 'body': " + body + "}")).nodes())
                        .hasSize(2);
            }
        }

        @Test
        void theTimeoutIsAWholeNumberOfSecondsUpToTwoMinutes() {
            assertThat(valid(http("{'url': 'https://x.io', 'timeoutSeconds': 1}")).nodes()).hasSize(2);
            assertThat(valid(http("{'url': 'https://x.io', 'timeoutSeconds': 30.0}")).nodes()).hasSize(2);
            for (String bad : new String[] {"0", "121", "2.5", "'30'", "null", "1e400", "-9223372036854775809"}) {
                assertThat(errors(http("{'url': 'https://x.io', 'timeoutSeconds': " + bad + "}"))).as(bad)
                        .containsExactly(new FieldError(PARAMS + ".timeoutSeconds", "must be a whole number from 1 to 120"));
            }
        }

        @Test
        void theConnectionIdIsAUuid() {
            for (String bad : new String[] {"'1-2-3-4-5'", "'not-a-uuid'", "7"}) {
                assertThat(fields(http("{'url': 'https://x.io', 'connectionId': " + bad + "}"))).as(bad)
                        .containsExactly(PARAMS + ".connectionId");
            }
        }

        @Test
        void refusesUnknownParams() {
            assertThat(errors(http("{'url': 'https://x.io', 'retries': 3}"))).containsExactly(new FieldError(
                    PARAMS + ".retries", "is not a parameter of http.request "
                            + "(allowed: url, method, headers, body, timeoutSeconds, connectionId, credentialId)"));
        }

        @Test
        void theCredentialIdIsAUuidAndExcludesAConnection() {
            assertThat(valid(http("{'url': 'https://x.io', 'credentialId': '3F2504E0-4F89-11D3-9A0C-0305E82C3301'}"))
                    .nodes()).hasSize(2);
            assertThat(fields(http("{'url': 'https://x.io', 'credentialId': 'nope'}")))
                    .containsExactly(PARAMS + ".credentialId");
            assertThat(errors(http("{'url': 'https://x.io', 'credentialId': '3F2504E0-4F89-11D3-9A0C-0305E82C3301',"
                    + " 'connectionId': '3F2504E0-4F89-11D3-9A0C-0305E82C3302'}"))).extracting(FieldError::field)
                    .containsExactly(PARAMS + ".credentialId");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Authorization", "cookie", "Proxy-Authorization", "X-Api-Key", "X-Auth-Token",
                "X-Hub-Signature", "Client-Secret", "X-Password", "X-Session-Id", "apikey"})
        void refusesALiteralSecretHeaderNamingTheNodeAndField(String name) {
            String value = "Bearer sk_live_123";
            var found = errors(http("{'url': 'https://x.io', 'headers': {'" + name + "': '" + value + "'}}"));

            assertThat(found).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo(PARAMS + ".headers." + name);
                assertThat(error.message()).contains("header " + name + " holds a secret as literal text",
                        "credential", "credentialId").doesNotContain(value);
            });
        }

        @Test
        void allowsSecretHeadersThatATemplateFillsAndOrdinaryHeaders() {
            assertThat(valid(http("{'url': 'https://x.io', 'headers': {'Authorization': 'Bearer {{input.token}}',"
                    + " 'X-Api-Key': '{{ nodes.start.key }}', 'Accept': 'application/json', 'X-Trace': 'abc',"
                    + " 'Idempotency-Key': 'order-42'}}"))
                    .nodes()).hasSize(2);
        }

        @Test
        void refusesALiteralSecretQueryParameterInTheUrl() {
            var found = errors(http("{'url': 'https://x.io/v1?q=1&api_key=abc123&page=2'}"));

            assertThat(found).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo(PARAMS + ".url");
                assertThat(error.message()).contains("query parameter api_key holds a secret").doesNotContain("abc123");
            });
            assertThat(valid(http("{'url': 'https://x.io/v1?q=1&api_key={{input.key}}&access_token='}")).nodes())
                    .hasSize(2);
        }
    }

    @Nested
    class Condition {

        private String condition(String params) {
            return node("logic.condition", params);
        }

        @Test
        void comparesTwoValues() {
            for (String op : new String[] {"eq", "ne", "gt", "gte", "lt", "lte", "contains"}) {
                assertThat(valid(condition("{'left': '{{input.n}}', 'operator': '" + op + "', 'right': 3}")).nodes())
                        .hasSize(2);
            }
            assertThat(valid(condition("{'left': {'a': [1]}, 'operator': 'eq', 'right': null}")).nodes()).hasSize(2);
        }

        @Test
        void existsAndNotExistsTakeNoRight() {
            assertThat(valid(condition("{'left': '{{input.n}}', 'operator': 'exists'}")).nodes()).hasSize(2);
            assertThat(valid(condition("{'left': '{{input.n}}', 'operator': 'not_exists'}")).nodes()).hasSize(2);
            assertThat(errors(condition("{'left': '{{input.n}}', 'operator': 'exists', 'right': 1}")))
                    .containsExactly(new FieldError(PARAMS + ".right", "must be absent when operator is exists"));
        }

        @Test
        void otherOperatorsNeedARight() {
            assertThat(errors(condition("{'left': 1, 'operator': 'lt'}")))
                    .containsExactly(new FieldError(PARAMS + ".right", "is required when operator is lt"));
        }

        @Test
        void leftAndOperatorAreRequired() {
            assertThat(fields(condition("{}"))).containsExactly(PARAMS + ".left", PARAMS + ".operator");
            assertThat(valid(condition("{'left': null, 'operator': 'exists'}")).nodes())
                    .as("a JSON null is a value, not an absence").hasSize(2);
        }

        @Test
        void theOperatorIsKnown() {
            assertThat(errors(condition("{'left': 1, 'operator': 'matches', 'right': 'x'}"))).containsExactly(new FieldError(
                    PARAMS + ".operator", "must be one of eq, ne, gt, gte, lt, lte, contains, exists, not_exists"));
            assertThat(fields(condition("{'left': 1, 'operator': true}"))).containsExactly(PARAMS + ".operator");
        }

        @Test
        void bothSidesAreTemplates() {
            assertThat(fields(condition("{'left': '{{nodes.gone.x}}', 'operator': 'eq', 'right': ['{{input.x']}")))
                    .containsExactly(PARAMS + ".left", PARAMS + ".right[0]");
        }

        @Test
        void refusesUnknownParams() {
            assertThat(fields(condition("{'left': 1, 'operator': 'eq', 'right': 1, 'ignoreCase': true}")))
                    .containsExactly(PARAMS + ".ignoreCase");
        }
    }

    @Nested
    class Expressions {

        @Test
        void aConditionTakesAnExpressionInsteadOfAComparison() {
            assertThat(valid(node("logic.condition", "{'expression': 'input.n > 3 && has(nodes.start.x)'}")).nodes())
                    .hasSize(2);
            assertThat(errors(node("logic.condition", "{'expression': 'input.n > 3', 'left': 1, 'operator': 'eq'}")))
                    .containsExactly(new FieldError(PARAMS + ".expression", "must not be set together with left, "
                            + "operator: a condition is an expression or a comparison"));
        }

        @Test
        void aConditionsExpressionMustParseAndBeBoolean() {
            assertThat(errors(node("logic.condition", "{'expression': 'input.n >'}"))).singleElement()
                    .satisfies(error -> assertThat(error.field()).isEqualTo(PARAMS + ".expression"))
                    .satisfies(error -> assertThat(error.message()).startsWith("is not a valid expression: ")
                            .contains("line 1, column"));
            assertThat(errors(node("logic.condition", "{'expression': 'size(input.items) + 1'}")))
                    .containsExactly(new FieldError(PARAMS + ".expression", "must produce a boolean (its type is int)"));
            assertThat(errors(node("logic.condition", "{'expression': 1}")))
                    .containsExactly(new FieldError(PARAMS + ".expression", "must be a string"));
        }

        @Test
        void aTransformTakesOneExpressionThatTypeChecks() {
            assertThat(valid(node("data.transform",
                    "{'expression': '{\\'id\\': input.id, \\'tags\\': input.tags.filter(t, t != \\'x\\')}'}"))
                    .nodes()).hasSize(2);
            assertThat(errors(node("data.transform", "{}")))
                    .containsExactly(new FieldError(PARAMS + ".expression", "is required"));
            assertThat(errors(node("data.transform", "{'expression': '1 + true'}"))).singleElement()
                    .satisfies(error -> assertThat(error.message()).contains("no matching overload"));
            assertThat(errors(node("data.transform", "{'expression': 'java.lang.System.exit(1)'}"))).singleElement()
                    .satisfies(error -> assertThat(error.message()).contains("undeclared reference to 'java'"));
            assertThat(fields(node("data.transform", "{'expression': 'input', 'values': {}}")))
                    .containsExactly(PARAMS + ".values");
        }

        @Test
        void aSwitchHasOneToFiftyCasesWithUniqueNamesAndBooleanExpressions() {
            assertThat(valid(node("logic.switch", "{'cases': [{'name': 'high', 'expression': 'input.p == 1'},"
                    + " {'name': 'low_2', 'expression': 'input.p == 2'}]}")).nodes()).hasSize(2);
            assertThat(errors(node("logic.switch", "{'cases': []}")))
                    .containsExactly(new FieldError(PARAMS + ".cases", "must have 1 to 50 cases (has 0)"));
            String many = IntStream.range(0, 51).mapToObj(i -> "{'name': 'c" + i + "', 'expression': 'true'}")
                    .collect(Collectors.joining(", ", "{'cases': [", "]}"));
            assertThat(errors(node("logic.switch", many)))
                    .containsExactly(new FieldError(PARAMS + ".cases", "must have 1 to 50 cases (has 51)"));
            assertThat(errors(node("logic.switch", "{'cases': [{'name': 'a', 'expression': 'true'},"
                    + " {'name': 'a', 'expression': 'input.x +'}, {'name': 'default', 'expression': '\\'yes\\''},"
                    + " {'name': 'b c', 'expression': 'true', 'order': 1}, 7]}")))
                    .extracting(FieldError::field).containsExactly(
                            PARAMS + ".cases[1].name", PARAMS + ".cases[1].expression", PARAMS + ".cases[2].name",
                            PARAMS + ".cases[2].expression", PARAMS + ".cases[3].order", PARAMS + ".cases[3].name",
                            PARAMS + ".cases[4]");
        }
    }

    @Nested
    class DataSet {

        @Test
        void valuesIsARequiredNonEmptyObject() {
            assertThat(errors(node("data.set", "{}"))).containsExactly(new FieldError(PARAMS + ".values", "is required"));
            assertThat(errors(node("data.set", "{'values': {}}")))
                    .containsExactly(new FieldError(PARAMS + ".values", "must have at least one entry"));
            assertThat(errors(node("data.set", "{'values': [1]}")))
                    .containsExactly(new FieldError(PARAMS + ".values", "must be an object"));
        }

        @Test
        void valuesAreAnyJson() {
            assertThat(valid(node("data.set", "{'values': {'a': null, 'b': [1, '{{input.x}}'], 'c': {'d': false}}}"))
                    .nodes()).hasSize(2);
        }

        @Test
        void refusesUnknownParams() {
            assertThat(fields(node("data.set", "{'values': {'a': 1}, 'merge': true}"))).containsExactly(PARAMS + ".merge");
        }
    }

    @Nested
    class Delay {

        @Test
        void secondsFromOneToAWeek() {
            assertThat(valid(node("flow.delay", "{'seconds': 1}")).nodes()).hasSize(2);
            assertThat(valid(node("flow.delay", "{'seconds': 604800}")).nodes()).hasSize(2);
            assertThat(errors(node("flow.delay", "{}"))).containsExactly(new FieldError(PARAMS + ".seconds", "is required"));
            for (String bad : new String[] {"0", "604801", "1.5", "'60'", "-1"}) {
                assertThat(errors(node("flow.delay", "{'seconds': " + bad + "}"))).as(bad).containsExactly(
                        new FieldError(PARAMS + ".seconds", "must be a whole number from 1 to 604800"));
            }
        }

        @Test
        void refusesUnknownParams() {
            assertThat(fields(node("flow.delay", "{'seconds': 5, 'until': 'x'}"))).containsExactly(PARAMS + ".until");
        }
    }

    @Nested
    class Wait {

        @Test
        void timeoutSecondsIsOptionalFromOneSecondToThirtyDays() {
            assertThat(valid(node("flow.wait", "{}")).nodes()).hasSize(2);
            assertThat(valid(node("flow.wait", "{'timeoutSeconds': 1}")).nodes()).hasSize(2);
            assertThat(valid(node("flow.wait", "{'timeoutSeconds': 2592000}")).nodes()).hasSize(2);
            for (String bad : new String[] {"0", "2592001", "1.5", "'60'", "-1"}) {
                assertThat(errors(node("flow.wait", "{'timeoutSeconds': " + bad + "}"))).as(bad).containsExactly(
                        new FieldError(PARAMS + ".timeoutSeconds", "must be a whole number from 1 to 2592000"));
            }
        }

        @Test
        void refusesUnknownParams() {
            assertThat(errors(node("flow.wait", "{'seconds': 5}"))).containsExactly(new FieldError(PARAMS + ".seconds",
                    "is not a parameter of flow.wait (allowed: timeoutSeconds)"));
        }
    }

    @Nested
    class ChildRuns {

        private static final String TARGET = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

        @Test
        void aCallNeedsAWorkflowIdThatIsAUuid() {
            Node call = valid(node("flow.call", "{'workflowId': '" + TARGET + "', 'input': {'id': '{{input.id}}'},"
                    + " 'timeoutSeconds': 2592000}")).node("n").orElseThrow();
            assertThat(CallParams.workflowId(call)).hasValueSatisfying(id -> assertThat(id).hasToString(TARGET));
            assertThat(CallParams.timeoutSeconds(valid(node("flow.call", "{'workflowId': '" + TARGET + "'}"))
                    .node("n").orElseThrow().params())).isEqualTo(86400);

            assertThat(errors(node("flow.call", "{}"))).containsExactly(new FieldError(PARAMS + ".workflowId", "is required"));
            assertThat(errors(node("flow.forEach", "{'items': 'input.list'}")))
                    .containsExactly(new FieldError(PARAMS + ".workflowId", "is required"));
            assertThat(errors(node("flow.call", "{'workflowId': '1-2-3-4-5'}")))
                    .containsExactly(new FieldError(PARAMS + ".workflowId", "must be a UUID"));
        }

        @Test
        void aCallsInputIsAnObjectOfTemplatesAndItsTimeoutIsBounded() {
            assertThat(errors(node("flow.call", "{'workflowId': '" + TARGET + "', 'input': 'x'}")))
                    .containsExactly(new FieldError(PARAMS + ".input", "must be an object"));
            assertThat(fields(node("flow.call", "{'workflowId': '" + TARGET + "', 'input': {'a': '{{nodes.nope.x}}'}}")))
                    .containsExactly(PARAMS + ".input.a");
            for (String bad : new String[] {"0", "2592001", "1.5"}) {
                assertThat(errors(node("flow.call", "{'workflowId': '" + TARGET + "', 'timeoutSeconds': " + bad + "}")))
                        .as(bad).containsExactly(new FieldError(PARAMS + ".timeoutSeconds",
                                "must be a whole number from 1 to 2592000"));
            }
            assertThat(fields(node("flow.call", "{'workflowId': '" + TARGET + "', 'items': 'input.x'}")))
                    .containsExactly(PARAMS + ".items");
        }

        @Test
        void forEachItemsIsARequiredExpressionProducingAList() {
            assertThat(valid(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': 'input.orders',"
                    + " 'concurrency': 50, 'mode': 'all', 'timeoutSeconds': 60}")).nodes()).hasSize(2);
            assertThat(valid(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': '[1, 2, 3]'}")).nodes())
                    .hasSize(2);

            assertThat(errors(node("flow.forEach", "{'workflowId': '" + TARGET + "'}")))
                    .containsExactly(new FieldError(PARAMS + ".items", "is required"));
            assertThat(errors(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': ['a']}")))
                    .containsExactly(new FieldError(PARAMS + ".items", "must be a string"));
            assertThat(errors(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': 'string(12)'}")))
                    .containsExactly(new FieldError(PARAMS + ".items", "must produce a list (its type is string)"));
            assertThat(errors(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': 'input.('}")))
                    .extracting(FieldError::field).containsExactly(PARAMS + ".items");
        }

        @Test
        void forEachConcurrencyIsOneToFifty() {
            for (String bad : new String[] {"0", "51", "2.5", "'2'"}) {
                assertThat(errors(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': 'input.x',"
                        + " 'concurrency': " + bad + "}"))).as(bad).containsExactly(
                        new FieldError(PARAMS + ".concurrency", "must be a whole number from 1 to 50"));
            }
        }

        @Test
        void forEachModeIsFailFastOrAll() {
            for (String mode : new String[] {"failFast", "all"}) {
                assertThat(valid(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': 'input.x',"
                        + " 'mode': '" + mode + "'}")).nodes()).hasSize(2);
            }
            for (String bad : new String[] {"'any'", "'FAILFAST'", "1"}) {
                assertThat(fields(node("flow.forEach", "{'workflowId': '" + TARGET + "', 'items': 'input.x',"
                        + " 'mode': " + bad + "}"))).as(bad).containsExactly(PARAMS + ".mode");
            }
        }
    }
}
