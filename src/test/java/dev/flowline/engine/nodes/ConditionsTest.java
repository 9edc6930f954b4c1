package dev.flowline.engine.nodes;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConditionsTest {

    /** Written with {@code '} for {@code "}; a new context per use, since each carries the budget of one step. */
    private static final RunContext BASE = new RunContext(json("""
            {'count': 3, 'countText': '3', 'name': 'Ada', 'tags': ['a', 'b'], 'user': {'id': 7},
             'nothing': null, 'price': 9.5}""").asJsonObject(),
            Map.of("fetch", json("{'status': 200, 'body': {'ok': true, 'items': [1, 2]}}")));

    private static RunContext context() {
        return new RunContext(BASE.input(), BASE.outputs());
    }

    private static JsonValue json(String singleQuoted) {
        try (JsonReader reader = Json.createReader(new StringReader(singleQuoted.replace('\'', '"')))) {
            return reader.readValue();
        }
    }

    /** The params of a condition: the operands as single-quoted JSON, {@code right} left out when null. */
    private static JsonObject params(String left, String operator, String right) {
        var params = Json.createObjectBuilder().add("left", json(left)).add("operator", operator);
        if (right != null) {
            params.add("right", json(right));
        }
        return params.build();
    }

    private static boolean evaluate(String left, String operator, String right) {
        return Conditions.evaluate(params(left, operator, right), context());
    }

    private static void assertFails(JsonObject params, String message) {
        assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> Conditions.evaluate(params, context()))
                .withMessage(message)
                .matches(failure -> !failure.retryable(), "is not retryable");
    }

    @Nested
    class Equality {

        @ParameterizedTest(name = "{0} eq {1} is {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "1                       | 1                     | true",
                "1                       | 1.0                   | true",
                "1e2                     | 100                   | true",
                "0                       | -0                    | true",
                "1                       | 2                     | false",
                "0.1                     | 0.10000000000000001   | false",
                "'1'                     | 1                     | true",
                "1                       | '1.0'                 | true",
                "'1e3'                   | 1000                  | true",
                "'-0.5'                  | -0.5                  | true",
                "' 7 '                   | 7                     | true",
                "'abc'                   | 1                     | false",
                "''                      | 0                     | false",
                "'01'                    | 1                     | false",
                "'+1'                    | 1                     | false",
                "'.5'                    | 0.5                   | false",
                "'1.'                    | 1                     | false",
                "'0x1A'                  | 26                    | false",
                "'1,000'                 | 1000                  | false",
                "'NaN'                   | 0                     | false",
                "'Infinity'              | 1e308                 | false",
                "'1e99999999999'         | 1                     | false",
                "'1'                     | '1.0'                 | false",
                "'a'                     | 'a'                   | true",
                "'a'                     | 'A'                   | false",
                "''                      | ''                    | true",
                "true                    | true                  | true",
                "false                   | false                 | true",
                "true                    | false                 | false",
                "true                    | 'true'                | false",
                "true                    | 1                     | false",
                "null                    | null                  | true",
                "null                    | 'null'                | false",
                "null                    | 0                     | false",
                "null                    | false                 | false",
                "null                    | ''                    | false",
                "[]                      | []                    | true",
                "[]                      | {}                    | false",
                "[1, 2]                  | [1, 2.0]              | true",
                "[1, 2]                  | [2, 1]                | false",
                "[1]                     | [1, 1]                | false",
                "['1']                   | [1]                   | true",
                "{}                      | {}                    | true",
                "{'a': 1, 'b': [1, {}]}  | {'b': [1.0, {}], 'a': 1} | true",
                "{'a': 1}                | {'a': 1, 'b': 2}      | false",
                "{'a': 1}                | {'b': 1}              | false",
                "{'a': null}             | {}                    | false",
                "{'a': {'b': '2'}}       | {'a': {'b': 2}}       | true",
                "{'a': 1}                | 'a'                   | false"})
        void comparesJsonValuesWithNumbersByValue(String left, String right, boolean equal) {
            assertThat(evaluate(left, "eq", right)).isEqualTo(equal);
            assertThat(evaluate(right, "eq", left)).as("symmetric").isEqualTo(equal);
            assertThat(evaluate(left, "ne", right)).isEqualTo(!equal);
        }

        @ParameterizedTest(name = "{0} eq {1} is {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "'{{input.count}}'               | 3                    | true",
                "'{{input.count}}'               | '3'                  | true",
                "'{{input.countText}}'           | '{{input.count}}'    | true",
                "'{{input.count}}'               | 4                    | false",
                "'n={{input.count}}'             | 'n=3'                | true",
                "'{{input.user}}'                | {'id': 7.0}          | true",
                "'{{input.nothing}}'             | null                 | true",
                "'{{input.nothing}}'             | 'null'               | false",
                "'text {{input.nothing}}'        | 'text null'          | true",
                "'{{nodes.fetch.body.ok}}'       | true                 | true",
                "['{{input.name}}', 1]           | ['Ada', '{{nodes.fetch.body.items.0}}'] | true",
                "'{{nodes.fetch.status}}'        | '{{input.count}}'    | false"})
        void resolvesTemplatesOnBothSides(String left, String right, boolean equal) {
            assertThat(evaluate(left, "eq", right)).isEqualTo(equal);
            assertThat(evaluate(left, "ne", right)).isEqualTo(!equal);
        }

        @ParameterizedTest
        @ValueSource(strings = {"eq", "ne", "gt", "gte", "lt", "lte", "contains"})
        void failsOnAMissingReferenceOnEitherSide(String operator) {
            assertFails(params("'{{input.missing}}'", operator, "1"),
                    "Template {{input.missing}}: input has no \"missing\"");
            assertFails(params("1", operator, "'{{nodes.ghost.x}}'"),
                    "Template {{nodes.ghost.x}}: node \"ghost\" has no output (it has not run yet, or not on this path)");
        }
    }

    @Nested
    class Ordering {

        @ParameterizedTest(name = "{0} against {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                // left          | right        | gt    | gte   | lt    | lte
                "2               | 1            | true  | true  | false | false",
                "1               | 2            | false | false | true  | true",
                "1               | 1.0          | false | true  | false | true",
                "-1.5            | -1           | false | false | true  | true",
                "1e3             | 999.999      | true  | true  | false | false",
                "12345678901234567890 | 12345678901234567889 | true | true | false | false",
                "'10'            | '9'          | true  | true  | false | false",
                "'10'            | 9            | true  | true  | false | false",
                "10              | '9.5'        | true  | true  | false | false",
                "' 3 '           | 3            | false | true  | false | true",
                "-1              | '-0.5'       | false | false | true  | true",
                "'1e2'           | 99           | true  | true  | false | false",
                "'apple'         | 'banana'     | false | false | true  | true",
                "'b'             | 'a'          | true  | true  | false | false",
                "'Z'             | 'a'          | false | false | true  | true",
                "'abc'           | 'abc'        | false | true  | false | true",
                "'abc'           | 'abcd'       | false | false | true  | true",
                "''              | 'a'          | false | false | true  | true",
                "'abc'           | '10'         | true  | true  | false | false",
                "'01'            | '1'          | false | false | true  | true",
                "'{{input.count}}' | '{{input.price}}' | false | false | true | true",
                "'{{input.name}}'  | 'Ada'      | false | true  | false | true"})
        void ordersNumbersByValueAndStringsByText(String left, String right, boolean gt, boolean gte, boolean lt,
                boolean lte) {
            assertThat(evaluate(left, "gt", right)).as("gt").isEqualTo(gt);
            assertThat(evaluate(left, "gte", right)).as("gte").isEqualTo(gte);
            assertThat(evaluate(left, "lt", right)).as("lt").isEqualTo(lt);
            assertThat(evaluate(left, "lte", right)).as("lte").isEqualTo(lte);
        }

        @ParameterizedTest(name = "{0} against {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "true       | 1          | left is a boolean",
                "1          | false      | right is a boolean",
                "null       | 1          | left is null",
                "'a'        | null       | right is null",
                "{'a': 1}   | 1          | left is an object",
                "[1]        | [2]        | left is an array",
                "1          | [1]        | right is an array",
                "'abc'      | 1          | left is a string that is not a number, and the other side is a number",
                "1          | 'abc'      | right is a string that is not a number, and the other side is a number",
                "1          | ''         | right is a string that is not a number, and the other side is a number",
                "'{{input.user}}' | 1    | left is an object",
                "'{{input.nothing}}' | 1 | left is null"})
        void refusesWhatCannotBeOrdered(String left, String right, String culprit) {
            for (String operator : new String[] {"gt", "gte", "lt", "lte"}) {
                assertFails(params(left, operator, right), "Condition \"" + operator
                        + "\" cannot order its operands: " + culprit
                        + " (only two numbers, numeric strings or two strings can be ordered)");
            }
        }
    }

    @Nested
    class Contains {

        @ParameterizedTest(name = "{0} contains {1} is {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "'hello world'          | 'o w'       | true",
                "'hello'                | 'hello'     | true",
                "'hello'                | 'H'         | false",
                "'hello'                | ''          | true",
                "'hello'                | 'hello!'    | false",
                "'a1'                   | 1           | false",
                "'true'                 | true        | false",
                "'null'                 | null        | false",
                "['a', 'b']             | 'b'         | true",
                "['a', 'b']             | 'c'         | false",
                "['ab']                 | 'a'         | false",
                "[1, 2]                 | 2.0         | true",
                "['1']                  | 1           | true",
                "[1]                    | '1'         | true",
                "[true]                 | 'true'      | false",
                "[[1, 2], {'k': 'v'}]   | {'k': 'v'}  | true",
                "[[1, 2]]               | [1, 2]      | true",
                "[[1, 2]]               | 1           | false",
                "[]                     | null        | false",
                "[null]                 | null        | true",
                "{'k': 1}               | 'k'         | true",
                "{'k': 1}               | 'v'         | false",
                "{'k': 1}               | 1           | false",
                "{'1': 1}               | 1           | false",
                "{'k': {'x': 1}}        | 'x'         | false",
                "{}                     | ''          | false",
                "42                     | 4           | false",
                "42                     | '4'         | false",
                "null                   | null        | false",
                "true                   | true        | false",
                "'{{input.tags}}'       | 'a'         | true",
                "'{{input.tags}}'       | '{{input.name}}' | false",
                "'{{input.user}}'       | 'id'        | true",
                "'{{input.name}}'       | 'd'         | true",
                "'{{nodes.fetch.body.items}}' | '2'   | true",
                "'{{input.count}}'      | 3           | false"})
        void findsSubstringsElementsAndKeys(String left, String right, boolean contains) {
            assertThat(evaluate(left, "contains", right)).isEqualTo(contains);
        }
    }

    @Nested
    class Existence {

        @ParameterizedTest(name = "{0} exists is {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "'{{input.name}}'                  | true",
                "'{{ input.name }}'                | true",
                "'{{input}}'                       | true",
                "'{{input.nothing}}'               | true",
                "'{{input.tags.1}}'                | true",
                "'{{nodes.fetch}}'                 | true",
                "'{{nodes.fetch.body.ok}}'         | true",
                "'{{nodes.fetch.body.items.0}}'    | true",
                "'{{input.missing}}'               | false",
                "'{{input.tags.2}}'                | false",
                "'{{input.tags.x}}'                | false",
                "'{{input.name.first}}'            | false",
                "'{{input.nothing.x}}'             | false",
                "'{{input.count.0}}'               | false",
                "'{{nodes.ghost}}'                 | false",
                "'{{nodes.ghost.body}}'            | false",
                "'{{nodes.fetch.body.nope}}'       | false",
                "'literal'                         | true",
                "''                                | true",
                "'}} not a template'               | true",
                "42                                | true",
                "false                             | true",
                "null                              | true",
                "[]                                | true",
                "{'a': 1}                          | true",
                "'Hi {{input.name}}'               | true",
                "'Hi {{input.name}} {{input.missing}}' | false",
                "{'a': ['{{input.name}}']}         | true",
                "{'a': ['{{input.missing}}']}      | false",
                "['{{input.name}}', '{{nodes.ghost}}'] | false"})
        void holdsWhenEveryReferenceLeadsSomewhere(String left, boolean exists) {
            assertThat(evaluate(left, "exists", null)).isEqualTo(exists);
            assertThat(evaluate(left, "not_exists", null)).isEqualTo(!exists);
        }

        @Test
        void ignoresRight() {
            assertThat(evaluate("'{{input.name}}'", "exists", "'{{input.missing}}'")).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"exists", "not_exists"})
        void stillRefusesAMalformedTemplate(String operator) {
            assertFails(params("'{{input.name'", operator, null),
                    "Text '{{input.name' has a '{{' without a closing '}}'");
            assertFails(params("'{{env.HOME}}'", operator, null),
                    "Template {{env.HOME}} starts with neither 'input', 'nodes' nor 'run'");
        }
    }

    @Nested
    class BrokenParams {

        @Test
        void needAnOperator() {
            assertFails(Json.createObjectBuilder().add("left", 1).add("right", 1).build(), "Condition has no operator");
            assertFails(Json.createObjectBuilder().add("left", 1).add("operator", 1).add("right", 1).build(),
                    "Condition has no operator");
        }

        @Test
        void needAKnownOperator() {
            assertFails(params("1", "matches", "1"), "Condition has an unknown operator \"matches\"");
            assertFails(params("1", "EQ", "1"), "Condition has an unknown operator \"EQ\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"eq", "ne", "gt", "gte", "lt", "lte", "contains", "exists", "not_exists"})
        void needALeft(String operator) {
            assertFails(Json.createObjectBuilder().add("operator", operator).add("right", 1).build(),
                    "Condition \"" + operator + "\" has no left");
        }

        @ParameterizedTest
        @ValueSource(strings = {"eq", "ne", "gt", "gte", "lt", "lte", "contains"})
        void needARightUnlessUnary(String operator) {
            assertFails(params("1", operator, null), "Condition \"" + operator + "\" has no right");
        }
    }
}
