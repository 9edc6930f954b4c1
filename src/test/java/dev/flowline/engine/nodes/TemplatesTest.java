package dev.flowline.engine.nodes;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TemplatesTest {

    /**
     * The run's input and the outputs of three earlier nodes, written with {@code '} for {@code "}; a new context per
     * use ({@link #context()}), since each carries the budget of one step.
     */
    static final RunContext BASE = new RunContext(json("""
            {'name': 'Ada', 'count': 3, 'price': 9.5, 'big': 12345678901234567890, 'active': true, 'off': false,
             'nothing': null, 'tags': ['a', 'b'], 'one': ['x'], 'user': {'id': 7, 'roles': ['admin', 'dev']},
             'items': [{'sku': 'X1'}, {'sku': 'Y2'}], '0': 'zero key', 'text': 'ab {{input.name}}',
             'empty': '', 'list': []}""").asJsonObject(),
            Map.of("fetch", json("{'status': 200, 'body': {'id': 42, 'list': [10, 20, 30]}}"),
                    "set-1_a", Json.createValue("plain output"),
                    "flag", JsonValue.TRUE));

    static RunContext context() {
        return new RunContext(BASE.input(), BASE.outputs());
    }

    static JsonValue json(String singleQuoted) {
        try (JsonReader reader = Json.createReader(new StringReader(singleQuoted.replace('\'', '"')))) {
            return reader.readValue();
        }
    }

    private static JsonValue resolve(String text) {
        return Templates.resolve(Json.createValue(text), context());
    }

    @Nested
    class WithoutTemplates {

        @ParameterizedTest
        @ValueSource(strings = {"", "plain text", "single braces { } are text", "}} closing braces alone",
                "{\"a\":{\"b\":1}}", "{ {input.name} }", "input.name"})
        void aStringIsReturnedAsTheSameInstance(String text) {
            JsonString value = Json.createValue(text);

            assertThat(Templates.resolve(value, context())).isSameAs(value);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "-2.5", "true", "false", "null"})
        void aNonStringScalarIsReturnedAsIs(String text) {
            JsonValue value = json(text);

            assertThat(Templates.resolve(value, context())).isSameAs(value);
        }

        @Test
        void containersAreReturnedAsTheSameInstances() {
            JsonValue value = json("{'a': [1, 'two', {'b': null, 'c': '}}'}], 'd': {}, 'e': []}");

            assertThat(Templates.resolve(value, context())).isSameAs(value);
        }
    }

    @Nested
    class AWholeTemplate {

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "{{input.user}}              | {'id': 7, 'roles': ['admin', 'dev']}",
                "{{input.tags}}              | ['a', 'b']",
                "{{input.list}}              | []",
                "{{input.count}}             | 3",
                "{{input.price}}             | 9.5",
                "{{input.big}}               | 12345678901234567890",
                "{{input.active}}            | true",
                "{{input.off}}               | false",
                "{{input.nothing}}           | null",
                "{{input.name}}              | 'Ada'",
                "{{input.empty}}             | ''",
                "{{nodes.fetch.body}}        | {'id': 42, 'list': [10, 20, 30]}",
                "{{nodes.fetch.body.id}}     | 42",
                "{{nodes.set-1_a}}           | 'plain output'",
                "{{nodes.flag}}              | true",
                "{{ input.count }}           | 3"})
        void becomesTheReferencedValueWithItsType(String template, String expected) {
            assertThat(resolve(template)).isEqualTo(json(expected));
        }

        @Test
        void mayHaveAnyWhitespaceInsideTheBraces() {
            assertThat(resolve("{{\tnodes.fetch.status\n}}")).isEqualTo(Json.createValue(200));
        }

        @Test
        void referencesTheWholeInputOrAWholeOutput() {
            assertThat(resolve("{{input}}")).isSameAs(context().input());
            assertThat(resolve("{{nodes.fetch}}")).isSameAs(context().outputs().get("fetch"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{{input.items.1.sku}}        | Y2",
                "{{input.items.0.sku}}        | X1",
                "{{input.user.roles.1}}       | dev",
                "{{input.tags.01}}            | b",
                "{{input.0}}                  | zero key"})
        void walksArraysByIndexAndObjectsByDigitKeys(String template, String expected) {
            assertThat(resolve(template)).isEqualTo(Json.createValue(expected));
        }

        @Test
        void indexesANodesArray() {
            assertThat(resolve("{{nodes.fetch.body.list.2}}")).isEqualTo(Json.createValue(30));
        }
    }

    @Nested
    class TextWithTemplates {

        static Stream<Arguments> eachJsonType() {
            return Stream.of(
                    arguments("{{input.name}}", "Ada"),
                    arguments("{{input.empty}}", ""),
                    arguments("{{input.count}}", "3"),
                    arguments("{{input.price}}", "9.5"),
                    arguments("{{input.big}}", "12345678901234567890"),
                    arguments("{{input.active}}", "true"),
                    arguments("{{input.off}}", "false"),
                    arguments("{{input.nothing}}", "null"),
                    arguments("{{input.user}}", "{\"id\":7,\"roles\":[\"admin\",\"dev\"]}"),
                    arguments("{{input.tags}}", "[\"a\",\"b\"]"),
                    arguments("{{input.list}}", "[]"),
                    arguments("{{nodes.set-1_a}}", "plain output"));
        }

        @ParameterizedTest
        @MethodSource("eachJsonType")
        void replacesEachTemplateByTheValuesText(String template, String text) {
            assertThat(resolve("<" + template + ">")).isEqualTo(Json.createValue("<" + text + ">"));
        }

        @Test
        void putsAStringsCharactersUnescaped() {
            RunContext context = new RunContext(Json.createObjectBuilder().add("q", "say \"hi\"\n\\").build(),
                    Map.of());

            assertThat(Templates.resolve(Json.createValue("q={{input.q}}"), context))
                    .isEqualTo(Json.createValue("q=say \"hi\"\n\\"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "` {{input.count}}`                        | ` 3`",
                "`{{input.count}} `                        | `3 `",
                "{{input.count}}{{input.count}}            | 33",
                "Hello {{input.name}}, you have {{input.count}} | Hello Ada, you have 3",
                "{{input.name}} }}                         | Ada }}",
                "{{input.name}}}                           | Ada}",
                "}}{{input.name}}                          | }}Ada",
                "{\"n\":{{input.count}}}                   | {\"n\":3}",
                "{ {{input.name}} }                        | { Ada }",
                "a {{ nodes.fetch.body.id }} b             | a 42 b"})
        void isAlwaysText(String text, String expected) {
            assertThat(resolve(text)).isEqualTo(Json.createValue(expected));
        }

        @Test
        void resolvesManyTemplatesInOneString() {
            String text = "{{input.count}},".repeat(10_000);
            RunContext roomy = new RunContext(BASE.input(), BASE.outputs(), new StepBudget("n", 1 << 20, 10_000));

            assertThat(((JsonString) Templates.resolve(Json.createValue(text), roomy)).getString())
                    .isEqualTo("3,".repeat(10_000));
        }

        @Test
        void neverResolvesASubstitutedValueAgain() {
            assertThat(resolve("{{input.text}}")).isEqualTo(Json.createValue("ab {{input.name}}"));
            assertThat(resolve("x {{input.text}}")).isEqualTo(Json.createValue("x ab {{input.name}}"));
        }
    }

    @Nested
    class Containers {

        @Test
        void resolvesEveryStringInsideButNoKey() {
            JsonValue value = json("""
                    {'{{input.name}}': ['{{input.count}}', {'deep': 'hi {{nodes.fetch.body.list.2}}'}, 5, null, true],
                     'same': 'plain', 'user': '{{input.user}}', 'z': '{{input.tags}}'}""");

            JsonValue resolved = Templates.resolve(value, context());

            assertThat(resolved).isEqualTo(json("""
                    {'{{input.name}}': [3, {'deep': 'hi 30'}, 5, null, true],
                     'same': 'plain', 'user': {'id': 7, 'roles': ['admin', 'dev']}, 'z': ['a', 'b']}"""));
            assertThat(resolved.asJsonObject().keySet()).containsExactly("{{input.name}}", "same", "user", "z");
        }

        @Test
        void keepsTheOrderAndTheUnchangedMembers() {
            JsonObject value = json("{'a': 1, 'b': 'x', 'c': '{{input.count}}', 'd': [true], 'e': 'y'}")
                    .asJsonObject();

            JsonObject resolved = Templates.resolve(value, context()).asJsonObject();

            assertThat(resolved.keySet()).containsExactly("a", "b", "c", "d", "e");
            assertThat(resolved.get("d")).isSameAs(value.get("d"));
            assertThat(resolved).isEqualTo(json("{'a': 1, 'b': 'x', 'c': 3, 'd': [true], 'e': 'y'}"));
        }

        @Test
        void resolvesArraysInOrder() {
            JsonValue value = json("[1, '{{input.name}}', ['{{input.active}}'], 'x', '{{nodes.flag}}']");

            assertThat(Templates.resolve(value, context())).isEqualTo(json("[1, 'Ada', [true], 'x', true]"));
        }
    }

    @Nested
    class MissingReferences {

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "{{nodes.ghost}}                | Template {{nodes.ghost}}: node \"ghost\" has no output (it has not run yet, or not on this path)",
                "{{nodes.ghost.body}}           | Template {{nodes.ghost.body}}: node \"ghost\" has no output (it has not run yet, or not on this path)",
                "{{input.missing}}              | Template {{input.missing}}: input has no \"missing\"",
                "{{ input.missing }}            | Template {{input.missing}}: input has no \"missing\"",
                "{{nodes.fetch.body.name}}      | Template {{nodes.fetch.body.name}}: nodes.fetch.body has no \"name\"",
                "{{input.user.roles.x.y}}       | Template {{input.user.roles.x.y}}: input.user.roles is an array, and \"x\" is not an index",
                "{{input.tags.2}}               | Template {{input.tags.2}}: input.tags is an array of 2 elements, so it has no index 2",
                "{{input.one.1}}                | Template {{input.one.1}}: input.one is an array of 1 element, so it has no index 1",
                "{{input.list.0}}               | Template {{input.list.0}}: input.list is an array of 0 elements, so it has no index 0",
                "{{input.tags.99999999999999999999}} | Template {{input.tags.99999999999999999999}}: input.tags is an array of 2 elements, so it has no index 99999999999999999999",
                "{{input.name.first}}           | Template {{input.name.first}}: input.name is a string, so it has no \"first\"",
                "{{input.count.0}}              | Template {{input.count.0}}: input.count is a number, so it has no \"0\"",
                "{{input.active.x}}             | Template {{input.active.x}}: input.active is a boolean, so it has no \"x\"",
                "{{input.nothing.x}}            | Template {{input.nothing.x}}: input.nothing is null, so it has no \"x\"",
                "{{nodes.set-1_a.length}}       | Template {{nodes.set-1_a.length}}: nodes.set-1_a is a string, so it has no \"length\"",
                "{{nodes.flag.x}}               | Template {{nodes.flag.x}}: nodes.flag is a boolean, so it has no \"x\""})
        void failForGoodNamingTheTemplateAndWhereTheWalkStopped(String template, String message) {
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> resolve(template))
                    .withMessage(message)
                    .matches(failure -> !failure.retryable(), "is not retryable");
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> resolve("text " + template))
                    .withMessage(message);
        }

        @Test
        void failInsideContainersToo() {
            JsonValue value = json("{'a': [1, {'b': 'x {{nodes.fetch.body.nope}}'}]}");

            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> Templates.resolve(value, context()))
                    .withMessage("Template {{nodes.fetch.body.nope}}: nodes.fetch.body has no \"nope\"");
        }

        @Test
        void failOnTheFirstMissingOneOfAString() {
            assertThatExceptionOfType(StepFailedException.class)
                    .isThrownBy(() -> resolve("{{input.name}} {{input.a}} {{input.b}}"))
                    .withMessage("Template {{input.a}}: input has no \"a\"");
        }
    }

    @Nested
    class MalformedTemplates {

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "Hello {{input.name              | Text '{{input.name' has a '{{' without a closing '}}'",
                "{{input.a {{input.b}} }}        | Text '{{input.a {{input.b}}' has a '{{' inside a template (templates do not nest)",
                "{{input.name}} {{input.a {{x}}  | Text '{{input.a {{x}}' has a '{{' inside a template (templates do not nest)",
                "{{}}                            | Template {{}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{   }}                         | Template {{}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{input..a}}                    | Template {{input..a}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{input.}}                      | Template {{input.}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{.input}}                      | Template {{.input}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{input.first name}}            | Template {{input.first name}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{input[0]}}                    | Template {{input[0]}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{{input.name}}}                | Template {{{input.name}} is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})",
                "{{env.HOME}}                    | Template {{env.HOME}} starts with neither 'input', 'nodes' nor 'run'",
                "{{Input.name}}                  | Template {{Input.name}} starts with neither 'input', 'nodes' nor 'run'",
                "{{nodes}}                       | Template {{nodes}} names no node"})
        void failWithoutRetry(String text, String message) {
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> resolve(text))
                    .withMessage(message)
                    .matches(failure -> !failure.retryable(), "is not retryable");
        }

        @Test
        void quoteOnlyTheStartOfALongText() {
            assertThatExceptionOfType(StepFailedException.class)
                    .isThrownBy(() -> resolve("{{input.name" + "x".repeat(1000)))
                    .withMessage("Text '{{input.name" + "x".repeat(48) + "...' has a '{{' without a closing '}}'");
        }
    }

    @Nested
    class Lookup {

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "input.user.id              | 7",
                "input.user                 | {'id': 7, 'roles': ['admin', 'dev']}",
                "input.items.1              | {'sku': 'Y2'}",
                "input.nothing              | null",
                "input.0                    | 'zero key'",
                "nodes.fetch.body.list.1    | 20",
                "nodes.flag                 | true",
                "` input.count `            | 3"})
        void findsTheValueAtAPath(String path, String expected) {
            assertThat(Templates.lookup(path, context())).contains(json(expected));
        }

        @Test
        void findsTheWholeInput() {
            assertThat(Templates.lookup("input", context())).containsSame(context().input());
        }

        @ParameterizedTest
        @ValueSource(strings = {"input.missing", "nodes.ghost", "nodes.ghost.x", "nodes.fetch.body.nope",
                "input.tags.2", "input.tags.x", "input.name.x", "input.count.0", "input.nothing.x", "nodes.flag.x",
                "input.tags.99999999999999999999"})
        void isEmptyWhenNothingIsThere(String path) {
            assertThat(Templates.lookup(path, context())).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "env.x", "nodes", "input..x", "{{input.name}}", "input.a b"})
        void refusesAnInvalidPath(String path) {
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> Templates.lookup(path, context()))
                    .matches(failure -> !failure.retryable(), "is not retryable");
        }

        @Test
        void answersAnEmptyInputForNone() {
            RunContext empty = new RunContext(null, Map.of());

            assertThat(Templates.lookup("input", empty)).contains(JsonValue.EMPTY_JSON_OBJECT);
            assertThat(Templates.lookup("input.x", empty)).isEmpty();
        }
    }

    /** What a step's templates may produce ({@link StepBudget}), enforced while they expand. */
    @Nested
    class Budget {

        private static final int KB = 1024;

        /** An earlier output of about 480 KB: an object holding one long string. */
        private final JsonObject big = Json.createObjectBuilder().add("s", "x".repeat(480 * KB)).build();

        private RunContext withBig(StepBudget budget) {
            return new RunContext(BASE.input(), Map.of("big", big), budget);
        }

        /** Bytes this thread allocated while {@code task} ran (HotSpot's counter). */
        private long allocatedBy(Runnable task) {
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            task.run();
            return threads.getThreadAllocatedBytes(id) - before;
        }

        private void assertOverBudget(JsonValue value, RunContext context, long maxBytes) {
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() -> Templates.resolve(value, context))
                    .matches(failure -> !failure.retryable(), "is not retryable")
                    .withMessageContaining("node amp").withMessageContaining("more than " + maxBytes + " bytes")
                    .withMessageContaining("flowline.engine.max-step-output-bytes");
            assertThat(context.budget().bytes()).as("stopped after about one budget's worth")
                    .isGreaterThan(maxBytes).isLessThan(maxBytes + 600 * KB);
        }

        private long allocatedWhileFailing(JsonValue value, RunContext context) {
            return allocatedBy(() -> {
                try {
                    Templates.resolve(value, context);
                    throw new AssertionError("resolved although over budget");
                } catch (StepFailedException expected) {
                    // the budget stopped it
                }
            });
        }

        @Test
        void aValueReferencedThousandsOfTimesFailsAfterAboutOneBudgetWithoutBuildingTheRest() {
            var values = Json.createObjectBuilder();
            for (int i = 0; i < 2_300; i++) {
                values.add("k" + i, "{{nodes.big}}");
            }
            JsonObject amplifying = values.build(); // as built, ~1.1 GB of JSON: 2,300 x 480 KB

            assertOverBudget(amplifying, withBig(new StepBudget("amp", 1 << 20, 10_000)), 1 << 20);
            assertThat(allocatedWhileFailing(amplifying, withBig(new StepBudget("amp", 1 << 20, 10_000))))
                    .as("bytes allocated: nowhere near the 1.1 GB the whole value would be")
                    .isLessThan(32L << 20);
        }

        @Test
        void textInsertingALongStringThousandsOfTimesFailsBeforeBuildingIt() {
            JsonValue amplifying = Json.createValue("{{nodes.big.s}}".repeat(2_300));

            assertOverBudget(amplifying, withBig(new StepBudget("amp", 1 << 20, 10_000)), 1 << 20);
            assertThat(allocatedWhileFailing(amplifying, withBig(new StepBudget("amp", 1 << 20, 10_000))))
                    .as("the text built stays within about one budget").isLessThan(32L << 20);
        }

        @Test
        void textInsertingAnObjectThousandsOfTimesFailsBeforeWritingItsJson() {
            JsonValue amplifying = Json.createArrayBuilder().add("[{{nodes.big}}]".repeat(2_300)).build();

            assertOverBudget(amplifying, withBig(new StepBudget("amp", 1 << 20, 10_000)), 1 << 20);
            assertThat(allocatedWhileFailing(amplifying, withBig(new StepBudget("amp", 1 << 20, 10_000))))
                    .isLessThan(32L << 20);
        }

        @Test
        void anArrayOfReferencesFailsToo() {
            var elements = Json.createArrayBuilder();
            for (int i = 0; i < 2_300; i++) {
                elements.add("{{nodes.big}}");
            }

            assertOverBudget(elements.build(), withBig(new StepBudget("amp", 1 << 20, 10_000)), 1 << 20);
        }

        @Test
        void aValueWithinTheBudgetResolvesAndIsChargedItsJsonSize() {
            JsonValue value = json("""
                    {'a': '{{nodes.big}}', 'b': 'Hi {{input.name}} ({{input.count}}) {{input.price}}',
                     'c': [1, -2.5e3, true, false, null, '{{input.tags}}'], 'd': 'é € \\\\ \\" \\n \\u0001 🎉',
                     'e': '{{input.big}}'}""");
            StepBudget budget = new StepBudget("ok", 1 << 20, 10);

            JsonValue resolved = Templates.resolve(value, withBig(budget));

            assertThat(resolved.asJsonObject().get("a")).isSameAs(big);
            // exact here; JSON inserted into text (an object in a sentence) is charged without the escapes of its quotes
            assertThat(budget.bytes()).as("the size of the result's JSON text")
                    .isEqualTo(resolved.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(budget.templates()).isEqualTo(6);
        }

        @Test
        void aResultOfExactlyTheBudgetPassesAndOneByteMoreFails() {
            JsonValue value = json("{'a': '{{input.name}}'}"); // {"a":"Ada"}: 11 bytes

            assertThat(Templates.resolve(value, new RunContext(BASE.input(), Map.of(), new StepBudget("n", 11, 10))))
                    .isEqualTo(json("{'a': 'Ada'}"));
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() ->
                    Templates.resolve(value, new RunContext(BASE.input(), Map.of(), new StepBudget("n", 10, 10))));
        }

        @Test
        void moreTemplateExpressionsThanTheCapFailNamingTheSetting() {
            JsonValue atCap = Json.createValue("{{input.count}}".repeat(1_000));
            JsonValue overCap = Json.createValue("{{input.count}}".repeat(1_001));

            assertThat(Templates.resolve(atCap, context())).isEqualTo(Json.createValue("3".repeat(1_000)));
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() ->
                            Templates.resolve(overCap, new RunContext(BASE.input(), Map.of(), StepBudget.defaults("many"))))
                    .matches(failure -> !failure.retryable(), "is not retryable")
                    .withMessage("Node many has more than 1000 template expressions, the most a node may have"
                            + " (flowline.engine.max-templates-per-node).");
        }

        @Test
        void templatesCheckedForExistenceCountToo() {
            RunContext context = new RunContext(BASE.input(), Map.of(), new StepBudget("n", 1 << 20, 2));

            assertThat(Templates.referencesExist(Json.createValue("{{input.name}} {{input.count}}"), context)).isTrue();
            assertThatExceptionOfType(StepFailedException.class).isThrownBy(() ->
                    Templates.referencesExist(Json.createValue("{{input.name}}"), context));
        }
    }

    @Test
    void theRunsNamesAreItsIdAndTheResumeUrlsOfItsWaits() {
        java.util.UUID runId = java.util.UUID.randomUUID();
        RunContext context = context().with(new RunVariables(runId, node -> "https://x.example/resume/" + node));

        assertThat(Templates.resolve(Json.createValue("{{run.id}}"), context)).isEqualTo(Json.createValue(runId.toString()));
        assertThat(Templates.resolve(Json.createValue("Approve: {{ run.resumeUrls.approval }}"), context))
                .isEqualTo(Json.createValue("Approve: https://x.example/resume/approval"));
        for (String unknown : new String[] {"{{run}}", "{{run.name}}", "{{run.resumeUrls}}", "{{run.id.x}}",
                "{{run.resumeUrls.a.b}}"}) {
            assertThatThrownBy(() -> Templates.resolve(Json.createValue(unknown), context)).as(unknown)
                    .isInstanceOf(StepFailedException.class).hasMessageContaining("names nothing the run has");
        }
        assertThatThrownBy(() -> Templates.resolve(Json.createValue("{{run.id}}"), context()))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("not available");
    }
}
