package dev.flowline.workflows.definition;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.flowline.workflows.definition.DefinitionJson.EXAMPLE;
import static dev.flowline.workflows.definition.DefinitionJson.errors;
import static dev.flowline.workflows.definition.DefinitionJson.fields;
import static dev.flowline.workflows.definition.DefinitionJson.parse;
import static dev.flowline.workflows.definition.DefinitionJson.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DefinitionValidatorTest {

    private static final String TRIGGER = "{'id': 'start', 'type': 'trigger.manual'}";

    private static String setNode(String id) {
        return "{'id': '" + id + "', 'type': 'data.set', 'params': {'values': {'a': 1}}}";
    }

    private static String edge(String from, String to) {
        return "{'from': '" + from + "', 'to': '" + to + "'}";
    }

    private static String definition(List<String> nodes, List<String> edges) {
        return "{'nodes': [" + String.join(", ", nodes) + "], 'edges': [" + String.join(", ", edges) + "]}";
    }

    @Test
    void theDocumentedExampleIsValid() {
        WorkflowDefinition definition = valid(EXAMPLE);

        assertThat(definition.nodes()).extracting(Node::id, Node::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("start", NodeType.TRIGGER_WEBHOOK),
                        org.assertj.core.groups.Tuple.tuple("greet", NodeType.DATA_SET));
        assertThat(definition.nodes().get(1).params().getJsonObject("values").getString("message"))
                .isEqualTo("Hello {{input.name}}");
        assertThat(definition.edges()).containsExactly(new Edge("start", "greet"));
        assertThat(definition.trigger().id()).isEqualTo("start");
    }

    @Test
    void aLoneTriggerNeedsNoEdges() {
        assertThat(valid("{'nodes': [" + TRIGGER + "]}").edges()).isEmpty();
        assertThat(valid("{'nodes': [" + TRIGGER + "], 'edges': []}").nodes()).hasSize(1);
    }

    @Nested
    class TopLevel {

        @Test
        void mustBeAnObject() {
            assertThat(errors(parse("[]"))).containsExactly(new FieldError("definition", "must be a JSON object"));
            assertThat(errors(JsonValue.NULL)).extracting(FieldError::field).containsExactly("definition");
            assertThat(errors((JsonValue) null)).containsExactly(new FieldError("definition", "is required"));
        }

        @Test
        void refusesUnknownKeys() {
            assertThat(fields("{'nodes': [" + TRIGGER + "], 'edges': [], 'name': 'x'}"))
                    .containsExactly("definition.name");
        }

        @Test
        void nodesAreARequiredNonEmptyArray() {
            assertThat(errors("{'edges': []}")).containsExactly(new FieldError("definition.nodes", "is required"));
            assertThat(errors("{'nodes': {}}")).containsExactly(new FieldError("definition.nodes", "must be an array"));
            assertThat(errors("{'nodes': []}"))
                    .containsExactly(new FieldError("definition.nodes", "must have at least one node"));
        }

        @Test
        void edgesMustBeAnArray() {
            assertThat(fields("{'nodes': [" + TRIGGER + "], 'edges': {}}")).containsExactly("definition.edges");
            assertThat(fields("{'nodes': [" + TRIGGER + "], 'edges': null}")).containsExactly("definition.edges");
        }

        @Test
        void atMostOneHundredNodes() {
            List<String> nodes = IntStream.range(0, 101).mapToObj(i -> setNode("n" + i)).toList();
            assertThat(errors(definition(nodes, List.of()))).containsExactly(
                    new FieldError("definition.nodes", "must have at most 100 nodes (has 101)"));
        }

        @Test
        void atMostFiveHundredEdges() {
            List<String> edges = IntStream.range(0, 501).mapToObj(i -> edge("start", "x")).toList();
            assertThat(errors(definition(List.of(TRIGGER), edges))).containsExactly(
                    new FieldError("definition.edges", "must have at most 500 edges (has 501)"));
        }
    }

    @Nested
    class Nodes {

        @Test
        void aNodeMustBeAnObject() {
            assertThat(errors(definition(List.of(TRIGGER, "5"), List.of())))
                    .containsExactly(new FieldError("definition.nodes[1]", "must be an object"));
        }

        @Test
        void aBadIdIsReportedByIndex() {
            assertThat(fields(definition(List.of(TRIGGER, "{'id': 7, 'type': 'flow.delay'}"), List.of())))
                    .as("the id and, since the node has no usable name, its params by index")
                    .containsExactly("definition.nodes[1].id", "definition.nodes[1].params.seconds");
            assertThat(errors(definition(List.of(TRIGGER, "{'type': 'trigger.manual', 'id': 'a b'}"), List.of())))
                    .contains(new FieldError("definition.nodes[1].id", "must be 1 to 64 letters, digits, '_' or '-'"));
            String tooLong = "x".repeat(65);
            assertThat(fields(definition(List.of(TRIGGER, setNode(tooLong)), List.of(edge("start", tooLong)))))
                    .as("a malformed but unique id still names the node for edges")
                    .containsExactly("definition.nodes[1].id");
            assertThat(errors(definition(List.of(TRIGGER, "{'type': 'data.set', 'params': {'values': {'a': 1}}}"),
                    List.of()))).containsExactly(new FieldError("definition.nodes[1].id", "is required"));
        }

        @Test
        void idsMayUseLettersDigitsUnderscoreAndDash() {
            String id = "Ab_9-" + "z".repeat(59);
            assertThat(valid(definition(List.of(TRIGGER, setNode(id)), List.of(edge("start", id))))
                    .node(id)).isPresent();
        }

        @Test
        void idsAreUnique() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a"), setNode("a")), List.of(edge("start", "a")))))
                    .containsExactly(new FieldError("definition.nodes[2].id", "duplicates the id of definition.nodes[1]"));
        }

        @Test
        void theTypeMustBeKnown() {
            assertThat(errors(definition(List.of(TRIGGER, "{'id': 'n', 'type': 'email.send'}"), List.of(edge("start", "n")))))
                    .containsExactly(new FieldError("definition.nodes[n].type", "is not a known node type (known: "
                            + "trigger.manual, trigger.schedule, trigger.webhook, http.request, logic.condition, "
                            + "logic.switch, data.set, data.transform, flow.delay, flow.merge, flow.wait, flow.call, flow.forEach)"));
            assertThat(errors(definition(List.of(TRIGGER, "{'id': 'n', 'type': 3}"), List.of(edge("start", "n")))))
                    .containsExactly(new FieldError("definition.nodes[n].type", "must be a string"));
            assertThat(fields(definition(List.of(TRIGGER, "{'id': 'n'}"), List.of(edge("start", "n")))))
                    .containsExactly("definition.nodes[n].type");
        }

        @Test
        void refusesUnknownNodeKeys() {
            assertThat(fields(definition(List.of(TRIGGER, "{'id': 'n', 'type': 'flow.delay', "
                    + "'params': {'seconds': 5}, 'label': 'Wait'}"), List.of(edge("start", "n")))))
                    .containsExactly("definition.nodes[n].label");
        }

        @Test
        void paramsMustBeAnObject() {
            assertThat(errors(definition(List.of(TRIGGER, "{'id': 'n', 'type': 'flow.delay', 'params': [5]}"),
                    List.of(edge("start", "n")))))
                    .containsExactly(new FieldError("definition.nodes[n].params", "must be an object"));
        }
    }

    @Nested
    class Triggers {

        @Test
        void exactlyOneTrigger() {
            assertThat(errors(definition(List.of(setNode("a")), List.of()))).containsExactly(new FieldError(
                    "definition", "must have exactly one trigger node (trigger.manual, trigger.schedule or "
                            + "trigger.webhook); it has none"));
            assertThat(errors(definition(List.of(TRIGGER, "{'id': 'hook', 'type': 'trigger.webhook'}"), List.of())))
                    .containsExactly(new FieldError("definition",
                            "must have exactly one trigger node; it has 2: start, hook"));
        }

        @Test
        void nothingLeadsIntoTheTrigger() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a")), List.of(edge("start", "a"), edge("a", "start")))))
                    .containsExactly(
                            new FieldError("definition.edges[1].to",
                                    "leads to trigger node 'start'; a trigger has no incoming edges"),
                            new FieldError("definition", "has a cycle: start -> a -> start"));
        }
    }

    @Nested
    class Edges {

        @Test
        void anEdgeMustBeAnObjectWithFromAndTo() {
            assertThat(errors(definition(List.of(TRIGGER), List.of("'start'"))))
                    .containsExactly(new FieldError("definition.edges[0]", "must be an object"));
            assertThat(errors(definition(List.of(TRIGGER, setNode("a")), List.of("{'from': 1, 'to': 'a'}"))))
                    .containsExactly(new FieldError("definition.edges[0].from", "must be a string"),
                            new FieldError("definition.nodes[a]", "is not reachable from trigger node 'start'"));
            assertThat(errors(definition(List.of(TRIGGER), List.of("{'from': 'start'}"))))
                    .containsExactly(new FieldError("definition.edges[0].to", "is required"));
        }

        @Test
        void refusesUnknownEdgeKeys() {
            assertThat(fields(definition(List.of(TRIGGER, setNode("a")),
                    List.of("{'from': 'start', 'to': 'a', 'label': 'next'}"))))
                    .containsExactly("definition.edges[0].label");
        }

        @Test
        void endsMustBeNodesOfTheDefinition() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a")),
                    List.of(edge("start", "a"), edge("start", "ghost"), edge("nobody", "a")))))
                    .containsExactly(new FieldError("definition.edges[1].to", "names no node: 'ghost'"),
                            new FieldError("definition.edges[2].from", "names no node: 'nobody'"));
        }

        @Test
        void noSelfLoops() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a")), List.of(edge("start", "a"), edge("a", "a")))))
                    .containsExactly(new FieldError("definition.edges[1]", "connects node 'a' to itself"));
        }

        @Test
        void noDuplicateEdges() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a")), List.of(edge("start", "a"), edge("start", "a")))))
                    .containsExactly(new FieldError("definition.edges[1]", "duplicates definition.edges[0]"));
        }

        @Test
        void whenIsOnlyForEdgesOutOfConditions() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a")),
                    List.of("{'from': 'start', 'to': 'a', 'when': 'true'}"))))
                    .containsExactly(new FieldError("definition.edges[0].when",
                            "is only allowed on edges out of a logic.condition, logic.switch or flow.wait node"));
        }
    }

    @Nested
    class Conditions {

        private static final String CHECK = "{'id': 'check', 'type': 'logic.condition', "
                + "'params': {'left': '{{input.n}}', 'operator': 'gt', 'right': 3}}";

        private String branching(String... edgesOutOfCheck) {
            return definition(List.of(TRIGGER, CHECK, setNode("yes"), setNode("no"), setNode("also")),
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(edge("start", "check")),
                            java.util.Arrays.stream(edgesOutOfCheck)).toList());
        }

        private static String branch(String to, String when) {
            return "{'from': 'check', 'to': '" + to + "', 'when': " + when + "}";
        }

        @Test
        void branchesCarryWhenTrueOrFalseAndMayFanOut() {
            WorkflowDefinition definition = valid(branching(
                    branch("yes", "'true'"), branch("no", "'false'"), branch("also", "'true'")));

            assertThat(definition.edgesFrom("check")).containsExactly(
                    new Edge("check", "yes", "true"), new Edge("check", "no", "false"), new Edge("check", "also", "true"));
        }

        @Test
        void whenIsRequiredOutOfAConditionAndIsTheStringTrueOrFalse() {
            assertThat(errors(branching(
                    "{'from': 'check', 'to': 'yes'}", branch("no", "'no'"), branch("also", "true"))))
                    .containsExactly(
                            new FieldError("definition.edges[1].when",
                                    "is required on an edge out of logic.condition node 'check' (\"true\" or \"false\")"),
                            new FieldError("definition.edges[2].when", "must be \"true\" or \"false\" (a string)"),
                            new FieldError("definition.edges[3].when", "must be \"true\" or \"false\" (a string)"));
        }

        @Test
        void theSameTargetOnBothBranchesIsNotADuplicate() {
            assertThat(valid(branching(branch("yes", "'true'"), branch("yes", "'false'"),
                    branch("no", "'true'"), branch("also", "'true'"))).edges()).hasSize(5);
            assertThat(fields(branching(branch("yes", "'true'"), branch("yes", "'true'"),
                    branch("no", "'true'"), branch("also", "'true'"))))
                    .containsExactly("definition.edges[2]");
        }
    }

    @Nested
    class Waits {

        private static final String WAIT = "{'id': 'wait', 'type': 'flow.wait', 'params': {'timeoutSeconds': 60}}";

        private String waiting(String... edgesOutOfWait) {
            return definition(List.of(TRIGGER, WAIT, setNode("yes"), setNode("late"), setNode("after")),
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(edge("start", "wait")),
                            java.util.Arrays.stream(edgesOutOfWait)).toList());
        }

        private static String branch(String to, String when) {
            return "{'from': 'wait', 'to': '" + to + "', 'when': " + when + "}";
        }

        @Test
        void edgesCarryResumedOrTimeoutOrNoWhen() {
            WorkflowDefinition definition = valid(waiting(
                    branch("yes", "'resumed'"), branch("late", "'timeout'"), "{'from': 'wait', 'to': 'after'}"));

            assertThat(definition.edgesFrom("wait")).containsExactly(new Edge("wait", "yes", "resumed"),
                    new Edge("wait", "late", "timeout"), new Edge("wait", "after", null));
        }

        @Test
        void anyOtherWhenIsRefusedNamingTheNode() {
            String expected = "must be \"resumed\" or \"timeout\" (a string) on an edge out of flow.wait node 'wait',"
                    + " or absent (followed either way)";
            assertThat(errors(waiting(branch("yes", "'true'"), branch("late", "'default'"), branch("after", "true"))))
                    .containsExactly(new FieldError("definition.edges[1].when", expected),
                            new FieldError("definition.edges[2].when", expected),
                            new FieldError("definition.edges[3].when", expected));
        }
    }

    @Nested
    class Switches {

        private static final String ROUTE = "{'id': 'route', 'type': 'logic.switch', 'params': {'cases': ["
                + "{'name': 'high', 'expression': 'input.priority == \\'high\\''},"
                + "{'name': 'low', 'expression': 'input.priority == \\'low\\''}]}}";

        private String routing(String... edgesOutOfRoute) {
            return definition(List.of(TRIGGER, ROUTE, setNode("a"), setNode("b"), setNode("c")),
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(edge("start", "route")),
                            java.util.Arrays.stream(edgesOutOfRoute)).toList());
        }

        private static String branch(String to, String when) {
            return "{'from': 'route', 'to': '" + to + "', 'when': " + when + "}";
        }

        @Test
        void branchesNameACaseOrDefault() {
            WorkflowDefinition definition = valid(routing(
                    branch("a", "'case:high'"), branch("b", "'case:low'"), branch("c", "'default'")));

            assertThat(definition.edgesFrom("route")).containsExactly(new Edge("route", "a", "case:high"),
                    new Edge("route", "b", "case:low"), new Edge("route", "c", "default"));
        }

        @Test
        void whenIsRequiredAndNamesAnExistingCase() {
            String expected = "\"case:<name>\" naming a case of logic.switch node 'route' (high, low), or \"default\"";
            assertThat(errors(routing("{'from': 'route', 'to': 'a'}", branch("b", "'case:urgent'"),
                    branch("c", "'true'"))))
                    .containsExactly(
                            new FieldError("definition.edges[1].when",
                                    "is required on an edge out of logic.switch node 'route': " + expected),
                            new FieldError("definition.edges[2].when", "must be " + expected),
                            new FieldError("definition.edges[3].when", "must be " + expected));
        }
    }

    @Nested
    class Graph {

        @Test
        void noCycles() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a"), setNode("b"), setNode("c")),
                    List.of(edge("start", "a"), edge("a", "b"), edge("b", "c"), edge("c", "a")))))
                    .containsExactly(new FieldError("definition", "has a cycle: a -> b -> c -> a"));
        }

        @Test
        void everyNodeIsReachableFromTheTrigger() {
            assertThat(errors(definition(List.of(TRIGGER, setNode("a"), setNode("b"), setNode("c")),
                    List.of(edge("start", "a"), edge("b", "c")))))
                    .containsExactly(new FieldError("definition.nodes[b]", "is not reachable from trigger node 'start'"),
                            new FieldError("definition.nodes[c]", "is not reachable from trigger node 'start'"));
        }

        @Test
        void diamondsAreFine() {
            assertThat(valid(definition(List.of(TRIGGER, setNode("a"), setNode("b"), setNode("c")),
                    List.of(edge("start", "a"), edge("start", "b"), edge("a", "c"), edge("b", "c")))).edges()).hasSize(4);
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String json = definition(List.of(
                        "{'id': 'start', 'type': 'trigger.webhook', 'params': {'secret': 's'}}",
                        "{'id': 'call', 'type': 'http.request', 'params': {'url': 'ftp://x', 'method': 'FETCH'}}",
                        "{'id': 'bad id', 'type': 'flow.delay', 'params': {'seconds': 0}}",
                        "{'id': 'mystery', 'type': 'magic'}",
                        setNode("orphan")),
                List.of(edge("start", "call"), edge("call", "ghost"),
                        "{'from': 'call', 'to': 'mystery', 'when': 'true'}", edge("call", "start")));

        InvalidInputException refused = assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> DefinitionValidator.validate(parse(json))).actual();

        assertThat(refused.errors()).extracting(FieldError::field).containsExactly(
                "definition.nodes[2].id",
                "definition.nodes[mystery].type",
                "definition.edges[1].to",
                "definition.edges[2].when",
                "definition.nodes[start].params.secret",
                "definition.nodes[call].params.url",
                "definition.nodes[call].params.method",
                "definition.nodes[2].params.seconds",
                "definition.edges[3].to",
                "definition",
                "definition.nodes[2]",
                "definition.nodes[orphan]");
        assertThat(refused.detail()).isEqualTo("The workflow definition has 12 problems; see errors.");
        assertThat(refused.status()).isEqualTo(400);
    }

    @Test
    void aNodeWithMoreTemplatesThanTheCapIsRefusedNamingTheNodeTheFieldAndTheSetting() {
        String refs = IntStream.range(0, 6).mapToObj(i -> "'{{input.x}}'").collect(Collectors.joining(", "));
        String json = definition(List.of(TRIGGER,
                        "{'id': 'many', 'type': 'data.set', 'params': {'values': {'a': '{{input.a}} {{input.b}}',"
                                + " 'list': [" + refs + "]}}}",
                        "{'id': 'few', 'type': 'logic.condition', 'params': {'left': '{{input.a}}{{input.b}}',"
                                + " 'operator': 'eq', 'right': '{{input.c}}{{input.d}}{{input.e}}'}}"),
                List.of(edge("start", "many"), edge("many", "few")));

        InvalidInputException refused = assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> DefinitionValidator.validate(parse(json), 5)).actual();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).as("once, where the count went over; another node counts afresh")
                .containsExactly(new FieldError("definition.nodes[many].params.values.list[3]",
                        "has more template expressions than the 5 a node may have"
                                + " (flowline.engine.max-templates-per-node)"));
        assertThat(DefinitionValidator.validate(parse(json), 8).nodes()).hasSize(3);
        assertThat(DefinitionValidator.validate(parse(json)).nodes()).as("no cap for stored definitions").hasSize(3);
    }

    @Test
    void aSingleProblemIsSpelledOutInTheDetail() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> DefinitionValidator.validate(parse("{'nodes': []}")))
                .withMessage("The workflow definition has a problem: definition.nodes must have at least one node.");
    }

    @Test
    void wrongJsonTypesAnywhereAreFieldErrors() {
        String json = "{'nodes': [null, true, 'x', [], {}, {'id': [], 'type': {}, 'params': 'p'}],"
                + " 'edges': [null, 1, {'from': [], 'to': {}, 'when': 3}, {'from': 'start', 'to': null}]}";

        assertThat(errors(json)).extracting(FieldError::field).containsExactly(
                "definition.nodes[0]", "definition.nodes[1]", "definition.nodes[2]", "definition.nodes[3]",
                "definition.nodes[4].id", "definition.nodes[4].type",
                "definition.nodes[5].id", "definition.nodes[5].type", "definition.nodes[5].params",
                "definition.edges[0]", "definition.edges[1]",
                "definition.edges[2].from", "definition.edges[2].to",
                "definition.edges[3].from", "definition.edges[3].to",
                "definition");
    }

    @Test
    void aHundredNodeChainValidatesQuickly() {
        List<String> nodes = IntStream.range(1, 100).mapToObj(i -> "{'id': 'n" + i + "', 'type': 'data.set',"
                + " 'params': {'values': {'previous': '{{nodes." + (i == 1 ? "start" : "n" + (i - 1)) + ".a}}', 'a': " + i + "}}}")
                .collect(Collectors.toList());
        nodes.add(0, TRIGGER);
        List<String> edges = IntStream.range(1, 100).mapToObj(i -> edge(i == 1 ? "start" : "n" + (i - 1), "n" + i)).toList();
        JsonValue json = parse(definition(nodes, edges));

        assertThat(CompletableFuture.supplyAsync(() -> DefinitionValidator.validate(json)))
                .succeedsWithin(Duration.ofMillis(500))
                .satisfies(definition -> {
                    assertThat(definition.nodes()).hasSize(100);
                    assertThat(definition.edges()).hasSize(99);
                });
    }

    @Test
    void aDenseGraphAtTheLimitsValidatesQuickly() {
        // 100 nodes, 500 forward edges: the worst case the limits allow for the cycle and reachability searches.
        List<String> nodes = new java.util.ArrayList<>(List.of(TRIGGER));
        IntStream.range(1, 100).forEach(i -> nodes.add(setNode("n" + i)));
        List<String> edges = new java.util.ArrayList<>();
        IntStream.range(1, 100).forEach(i -> edges.add(edge("start", "n" + i)));
        for (int from = 1; edges.size() < 500; from++) {
            for (int to = from + 1; to < 100 && edges.size() < 500; to++) {
                edges.add(edge("n" + from, "n" + to));
            }
        }
        JsonValue json = parse(definition(nodes, edges));

        assertThat(CompletableFuture.supplyAsync(() -> DefinitionValidator.validate(json)))
                .succeedsWithin(Duration.ofMillis(500))
                .satisfies(definition -> assertThat(definition.edges()).hasSize(500));
    }

    @Test
    void validatesAJsonObjectBuiltInCode() {
        JsonValue json = Json.createObjectBuilder()
                .add("nodes", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("id", "start").add("type", "trigger.schedule")))
                .build();

        assertThat(DefinitionValidator.validate(json).trigger().type()).isEqualTo(NodeType.TRIGGER_SCHEDULE);
    }
}
