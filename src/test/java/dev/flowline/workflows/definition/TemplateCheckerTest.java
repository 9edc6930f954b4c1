package dev.flowline.workflows.definition;

import dev.flowline.platform.errors.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.flowline.workflows.definition.DefinitionJson.errors;
import static dev.flowline.workflows.definition.DefinitionJson.fields;
import static dev.flowline.workflows.definition.DefinitionJson.node;
import static dev.flowline.workflows.definition.DefinitionJson.valid;
import static org.assertj.core.api.Assertions.assertThat;

/** Templates in parameter strings, checked through {@link DefinitionValidator} on a data.set node. */
class TemplateCheckerTest {

    private static final String MESSAGE = "definition.nodes[n].params.values.message";

    private static String withMessage(String text) {
        return node("data.set", "{'values': {'message': '" + text + "'}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "no template at all",
            "Hello {{input.name}}",
            "{{ input.name }} and {{input.items.0.id}}",
            "{{input}}",
            "{{nodes.start}} / {{nodes.start.body.user-id}} / {{nodes.n.a_b}}",
            "JSON text may end in closing braces: {\\\"a\\\":{\\\"b\\\":1}}",
            "single braces { } are text",
            "{{input.a}}}"})
    void acceptsWellFormedTemplates(String text) {
        assertThat(valid(withMessage(text)).nodes()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Hello {{input.name            | has a '{{' without a closing '}}'",
            "{{input.a {{input.b}} }}      | has a '{{' inside a template (templates do not nest)",
            "{{}}                          | has an invalid template {{}} (expected {{input.path}} or {{nodes.<nodeId>.path}})",
            "{{input..a}}                  | has an invalid template {{input..a}} (expected {{input.path}} or {{nodes.<nodeId>.path}})",
            "{{input.first name}}          | has an invalid template {{input.first name}} (expected {{input.path}} or {{nodes.<nodeId>.path}})",
            "{{env.HOME}}                  | has a template {{env.HOME}} that starts with neither 'input', 'nodes' nor 'run'",
            "{{nodes}}                     | has a template {{nodes}} that names no node",
            "{{nodes.ghost.body}}          | refers to node 'ghost', which is not in the definition"})
    void refusesBrokenTemplates(String text, String message) {
        assertThat(errors(withMessage(text))).containsExactly(new FieldError(MESSAGE, message));
    }

    @Test
    void reportsEveryUnknownNodeInAString() {
        assertThat(errors(withMessage("{{nodes.a.x}} {{nodes.b.x}} {{nodes.a.y}}"))).extracting(FieldError::message)
                .containsExactly("refers to node 'a', which is not in the definition",
                        "refers to node 'b', which is not in the definition");
    }

    @Test
    void pointsAtTheNestedPlace() {
        assertThat(fields(node("http.request", "{'url': 'https://x.io', 'method': 'POST', "
                + "'body': {'items': [{'text': 'ok'}, {'text': '{{nodes.ghost}}'}], '{{key}}': 'keys are names'}}")))
                .containsExactly("definition.nodes[n].params.body.items[1].text");
    }

    @Test
    void checksEveryStringOfAValue() {
        assertThat(fields(node("data.set", "{'values': {'a': ['{{x}}', 1, {'b': '{{input.ok}}', 'c': '{{'}]}}")))
                .containsExactly("definition.nodes[n].params.values.a[0]", "definition.nodes[n].params.values.a[2].c");
    }

    /** A manual trigger, a node {@code n} of the given type and params, and a flow.wait {@code approval} after it. */
    private static String beforeAWait(String type, String params) {
        return "{'nodes': [{'id': 'start', 'type': 'trigger.manual'}, {'id': 'n', 'type': '" + type + "', 'params': "
                + params + "}, {'id': 'approval', 'type': 'flow.wait'}],"
                + " 'edges': [{'from': 'start', 'to': 'n'}, {'from': 'n', 'to': 'approval'}]}";
    }

    @Test
    void anHttpRequestMayUseTheRunIdAndTheResumeUrlOfAWaitOfTheDefinition() {
        assertThat(valid(beforeAWait("http.request", "{'url': 'https://chat.example/{{run.id}}', 'method': 'POST',"
                + " 'body': {'approve': '{{run.resumeUrls.approval}}'}}")).nodes()).hasSize(3);
        assertThat(valid(withMessage("run {{ run.id }}")).nodes()).hasSize(2);
    }

    @Test
    void aResumeUrlOfANodeThatIsNotAWaitIsRefusedNamingTheNodeAndTheField() {
        assertThat(errors(beforeAWait("http.request", "{'url': 'https://chat.example/',"
                + " 'body': {'approve': '{{run.resumeUrls.start}}', 'other': '{{run.resumeUrls.ghost}}'}}")))
                .containsExactly(
                        new FieldError("definition.nodes[n].params.body.approve", "has a template"
                                + " {{run.resumeUrls.start}} naming node 'start', which is not a flow.wait node of the"
                                + " definition"),
                        new FieldError("definition.nodes[n].params.body.other", "has a template"
                                + " {{run.resumeUrls.ghost}} naming node 'ghost', which is not a flow.wait node of the"
                                + " definition"));
    }

    @Test
    void aResumeUrlIsRefusedOutsideAnHttpRequestWhoseOutputWouldKeepItInClear() {
        assertThat(errors(beforeAWait("data.set", "{'values': {'url': '{{run.resumeUrls.approval}}'}}")))
                .containsExactly(new FieldError("definition.nodes[n].params.values.url", "has a template"
                        + " {{run.resumeUrls.approval}}, which only an http.request node may use: a resume URL is a"
                        + " secret, and another node's output would keep it in clear"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{run}}", "{{run.name}}", "{{run.resumeUrls}}", "{{run.id.x}}",
            "{{run.resumeUrls.approval.x}}"})
    void unknownRunNamesAreRefused(String template) {
        assertThat(errors(beforeAWait("http.request", "{'url': 'https://chat.example/', 'body': {'x': '" + template
                + "'}}"))).containsExactly(new FieldError("definition.nodes[n].params.body.x", "has a template "
                + template + " naming nothing the run has (known: {{run.id}}, {{run.resumeUrls.<nodeId>}} of a"
                + " flow.wait node)"));
    }
}
