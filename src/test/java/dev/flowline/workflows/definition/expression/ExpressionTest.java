package dev.flowline.workflows.definition.expression;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ExpressionTest {

    private static final ExpressionLimits LIMITS = new ExpressionLimits(100_000, 5_000, 524_288);
    private static final JsonObject INPUT = json("""
            {"ticket": {"id": 7, "priority": "high", "title": "Printer on fire", "tags": ["hw", "urgent", "fire"]},
             "amount": 12.5, "count": 3, "nothing": null}""");
    private static final Map<String, JsonValue> NODES = Map.of("lookup", json("{'owner': {'email': 'a@b.c'}}"));

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text.replace('\'', '"')))) {
            return reader.readObject();
        }
    }

    private static JsonValue eval(String source) {
        return Expression.compile(source).evaluate(INPUT, NODES, LIMITS);
    }

    private static String failure(String source, ExpressionLimits limits) {
        return assertThatExceptionOfType(ExpressionException.class)
                .isThrownBy(() -> Expression.compile(source).evaluate(INPUT, NODES, limits)).actual().getMessage();
    }

    @Nested
    class Compiling {

        @Test
        void aSyntaxErrorNamesLineAndColumn() {
            assertThatExceptionOfType(ExpressionException.class).isThrownBy(() -> Expression.compile("1 +\n  (2"))
                    .withMessageStartingWith("is not a valid expression: ").withMessageContaining("line 2");
        }

        @Test
        void aTypeErrorIsFoundWithoutData() {
            assertThatExceptionOfType(ExpressionException.class).isThrownBy(() -> Expression.compile("1 + 'a'"))
                    .withMessageContaining("no matching overload");
        }

        @Test
        void javaAndTheHostAreOutOfReach() {
            for (String source : new String[]{"java.lang.Runtime.getRuntime().exec('id')",
                    "java.lang.System.exit(1)", "Class.forName('java.io.File')", "env.HOME"}) {
                assertThatExceptionOfType(ExpressionException.class).as(source)
                        .isThrownBy(() -> Expression.compile(source)).withMessageContaining("undeclared reference");
            }
        }

        @Test
        void onlyInputAndNodesAreDeclared() {
            assertThatExceptionOfType(ExpressionException.class).isThrownBy(() -> Expression.compile("output.x"))
                    .withMessageContaining("undeclared reference to 'output'");
        }

        @Test
        void tooLongAndBlankAreRefused() {
            assertThatExceptionOfType(ExpressionException.class)
                    .isThrownBy(() -> Expression.compile("1".repeat(Expression.MAX_LENGTH + 1)))
                    .withMessage("must be at most " + Expression.MAX_LENGTH + " characters");
            assertThatExceptionOfType(ExpressionException.class).isThrownBy(() -> Expression.compile("  "))
                    .withMessage("must not be blank");
        }

        @Test
        void theResultTypeTellsWhetherItCanBeABoolean() {
            assertThat(Expression.compile("input.count > 2").mayBeBoolean()).isTrue();
            assertThat(Expression.compile("input.ticket.urgent").mayBeBoolean()).isTrue(); // dyn
            assertThat(Expression.compile("'high'").mayBeBoolean()).isFalse();
            assertThat(Expression.compile("'high'").resultType()).isEqualTo("string");
        }
    }

    @Nested
    class Evaluating {

        @Test
        void seesTheInputAndTheOutputsOfEarlierNodes() {
            assertThat(eval("input.ticket.priority == 'high' && nodes.lookup.owner.email.endsWith('@b.c')"))
                    .isEqualTo(JsonValue.TRUE);
        }

        @Test
        void buildsObjectsAndArraysFiltersAndMapsLists() {
            assertThat(eval("""
                    {'id': input.ticket.id, 'summary': '[' + input.ticket.priority + '] ' + input.ticket.title,
                     'labels': input.ticket.tags.filter(t, t != 'urgent').map(t, t + '!'),
                     'owner': nodes.lookup.owner, 'doubled': input.amount * 2.0, 'none': input.nothing}"""))
                    .isEqualTo(json("""
                            {'id': 7, 'summary': '[high] Printer on fire', 'labels': ['hw!', 'fire!'],
                             'owner': {'email': 'a@b.c'}, 'doubled': 25.0, 'none': null}"""));
        }

        @Test
        void numbersCompareAcrossIntAndDouble() {
            assertThat(eval("input.count == 3.0 && input.amount > 12")).isEqualTo(JsonValue.TRUE);
        }

        @Test
        void aMissingKeyFailsNamingIt() {
            assertThat(failure("input.ticket.assignee", LIMITS)).startsWith("failed: ")
                    .contains("'assignee'");
            assertThat(eval("has(input.ticket.assignee)")).isEqualTo(JsonValue.FALSE);
        }

        @Test
        void whatJsonCannotHoldIsRefused() {
            assertThat(failure("1.0 / 0.0", LIMITS)).contains("not a JSON number");
        }

        @Test
        void aTestMustProduceABoolean() {
            assertThatExceptionOfType(ExpressionException.class)
                    .isThrownBy(() -> Expression.compile("input.ticket.priority").test(INPUT, NODES, LIMITS))
                    .withMessage("produced a string where a boolean is needed");
            assertThat(Expression.compile("'fire' in input.ticket.tags").test(INPUT, NODES, LIMITS)).isTrue();
        }

        @Test
        void aLargeInputIsNotConvertedOrChargedUnlessTheResultIsIt() {
            JsonArrayBuilder items = Json.createArrayBuilder();
            for (int i = 0; i < 200_000; i++) {
                items.add(i);
            }
            JsonObject large = Json.createObjectBuilder().add("items", items).add("small", 1).build();
            ExpressionLimits tight = new ExpressionLimits(1_000, 5_000, 100);

            assertThat(Expression.compile("input.small == 1 && size(input.items) == 200000")
                    .evaluate(large, Map.of(), tight)).isEqualTo(JsonValue.TRUE);
            assertThatExceptionOfType(ExpressionException.class)
                    .isThrownBy(() -> Expression.compile("input.items").evaluate(large, Map.of(), tight))
                    .withMessageContaining("larger than 100 bytes");
        }
    }

    @Nested
    class Limits {

        @Test
        void aHugeComprehensionStopsAtTheCostLimit() {
            String ten = "[0,1,2,3,4,5,6,7,8,9]";
            String source = ten + ".map(a, " + ten + ".map(b, " + ten + ".map(c, " + ten + ".map(d, " + ten
                    + ".map(e, " + ten + ".map(f, a + b + c + d + e + f))))))";

            assertThat(failure(source, new ExpressionLimits(10_000, 60_000, 524_288)))
                    .isEqualTo("went over its cost limit of 10000 evaluation steps (" + ExpressionLimits.MAX_COST_SETTING + ")");
        }

        @Test
        void theTimeLimitIsCheckedWhileItRuns() {
            assertThat(failure("input.ticket.tags.map(t, t + t)", new ExpressionLimits(100_000, -1, 524_288)))
                    .contains("time limit").contains(ExpressionLimits.MAX_MILLIS_SETTING);
        }

        @Test
        void aStringThatDoublesAtEachStepStopsAtTheSizeLimit() {
            String source = "[input.ticket.title]" + ".map(s, s + s)".repeat(40) + "[0].size()";

            assertThat(failure(source, new ExpressionLimits(100_000, 60_000, 10_000)))
                    .contains("larger than 10000 bytes").contains(ExpressionLimits.MAX_BYTES_SETTING);
        }

        @Test
        void aListThatDoublesInDepthStopsAtTheSizeLimitBeforeAnyDeepComparison() {
            String doubling = "[input.ticket.tags]" + ".map(a, [a, a])".repeat(60);

            assertThat(failure(doubling + " == " + doubling, new ExpressionLimits(100_000, 60_000, 100_000)))
                    .contains("larger than 100000 bytes");
        }

        @Test
        void aResultOverTheLimitFails() {
            assertThat(failure("input.ticket", new ExpressionLimits(100_000, 60_000, 20)))
                    .contains("larger than 20 bytes");
        }

        @Test
        void mappingALongListStaysWithinItsLimits() {
            JsonArrayBuilder items = Json.createArrayBuilder();
            for (int i = 0; i < 5_000; i++) {
                items.add(Json.createObjectBuilder().add("id", i).add("name", "item " + i));
            }
            JsonObject input = Json.createObjectBuilder().add("items", items).build();

            JsonValue names = Expression.compile("{'names': input.items.filter(i, i.id % 2 == 0).map(i, i.name)}")
                    .evaluate(input, Map.of(), LIMITS);

            assertThat(names.asJsonObject().getJsonArray("names")).hasSize(2_500);
        }
    }
}
