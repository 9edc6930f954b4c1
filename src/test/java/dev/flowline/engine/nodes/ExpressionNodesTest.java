package dev.flowline.engine.nodes;

import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.workflows.definition.expression.ExpressionLimits;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ExpressionNodesTest {

    private static final ExpressionLimits LIMITS = new ExpressionLimits(100_000, 5_000, 0);
    private static final JsonObject INPUT = json("{'priority': 'high', 'title': 'Printer on fire', 'id': 7}");

    /** Written with {@code '} for {@code "}, and {@code `} for a quote inside a JSON string (CEL string literals). */
    private static JsonObject json(String singleQuoted) {
        String text = singleQuoted.replace('\'', '"').replace("`", "\\\"");
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static RunContext context(StepBudget budget) {
        return new RunContext(INPUT, Map.of("lookup", json("{'team': 'ops'}")), budget);
    }

    private static Node routeNode() {
        return new Node("route", NodeType.LOGIC_SWITCH, json("""
                {'cases': [{'name': 'low', 'expression': 'input.priority == `low`'},
                           {'name': 'high', 'expression': 'input.priority == `high`'},
                           {'name': 'any', 'expression': 'true'}]}"""));
    }

    @Test
    void aSwitchChoosesTheFirstCaseThatHoldsAndItsBranchNamesIt() {
        JsonObject output = ExpressionNodes.choose(routeNode(), context(StepBudget.defaults("route")), LIMITS);

        assertThat(output).isEqualTo(json("{'case': 'high'}"));
        assertThat(NodeActions.branch(routeNode(), output)).isEqualTo("case:high");
    }

    @Test
    void aSwitchWithoutAMatchTakesTheDefaultBranch() {
        Node node = new Node("route", NodeType.LOGIC_SWITCH,
                json("{'cases': [{'name': 'low', 'expression': 'input.priority == `low`'}]}"));

        JsonObject output = ExpressionNodes.choose(node, context(StepBudget.defaults("route")), LIMITS);

        assertThat(output).isEqualTo(json("{'case': 'default'}"));
        assertThat(NodeActions.branch(node, output)).isEqualTo("default");
    }

    @Test
    void aConditionExpressionSeesInputAndNodes() {
        Node node = new Node("check", NodeType.LOGIC_CONDITION,
                json("{'expression': 'input.id > 5 && nodes.lookup.team == `ops`'}"));

        assertThat(ExpressionNodes.condition(node, context(StepBudget.defaults("check")), LIMITS)).isTrue();
    }

    @Test
    void aTransformOutputsAnObjectAndWrapsAnyOtherValue() {
        Node reshape = new Node("t", NodeType.DATA_TRANSFORM,
                json("{'expression': '{`subject`: `[` + input.priority + `] ` + input.title, `ref`: input.id}'}"));
        Node list = new Node("t", NodeType.DATA_TRANSFORM, json("{'expression': '[input.id, nodes.lookup.team]'}"));

        assertThat(ExpressionNodes.transform(reshape, context(StepBudget.defaults("t")), LIMITS))
                .isEqualTo(json("{'subject': '[high] Printer on fire', 'ref': 7}"));
        assertThat(ExpressionNodes.transform(list, context(StepBudget.defaults("t")), LIMITS))
                .isEqualTo(json("{'value': [7, 'ops']}"));
    }

    @Test
    void theValueIsChargedToTheStepBudget() {
        Node node = new Node("t", NodeType.DATA_TRANSFORM, json("{'expression': '{`a`: input.title}'}"));
        StepBudget budget = StepBudget.defaults("t");

        ExpressionNodes.transform(node, context(budget), LIMITS);

        assertThat(budget.bytes()).isEqualTo("{\"a\":\"Printer on fire\"}".length());
    }

    @Test
    void aValueOverTheStepBudgetFailsWithoutRetryNamingNodeFieldAndSetting() {
        Node node = new Node("t", NodeType.DATA_TRANSFORM,
                json("{'expression': '[input.title].map(s, s + s).map(s, s + s).map(s, s + s)'}"));

        assertThatExceptionOfType(StepFailedException.class)
                .isThrownBy(() -> ExpressionNodes.transform(node, context(new StepBudget("t", 64, 10)), LIMITS))
                .satisfies(e -> assertThat(e.retryable()).isFalse())
                .withMessageStartingWith("The expression of node t (params.expression) built a value larger than")
                .withMessageContaining("flowline.engine.max-step-output-bytes");
    }

    @Test
    void aFailingCaseNamesItsField() {
        Node node = new Node("route", NodeType.LOGIC_SWITCH, json("""
                {'cases': [{'name': 'a', 'expression': 'false'}, {'name': 'b', 'expression': 'input.missing == 1'}]}"""));

        assertThatExceptionOfType(StepFailedException.class)
                .isThrownBy(() -> ExpressionNodes.choose(node, context(StepBudget.defaults("route")), LIMITS))
                .satisfies(e -> assertThat(e.retryable()).isFalse())
                .withMessageStartingWith("The expression of node route (params.cases[1].expression) failed: ")
                .withMessageContaining("'missing'");
    }

    @Test
    void theCostLimitIsTheConfiguredOne() {
        Node node = new Node("check", NodeType.LOGIC_CONDITION,
                json("{'expression': '[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, a * b > 0))'}"));

        assertThatExceptionOfType(StepFailedException.class)
                .isThrownBy(() -> ExpressionNodes.condition(node, context(StepBudget.defaults("check")),
                        new ExpressionLimits(50, 5_000, 0)))
                .withMessageContaining("cost limit of 50 evaluation steps (flowline.engine.expression-cost-limit)");
    }
}
