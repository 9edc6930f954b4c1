package dev.flowline.workflows.definition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class NodeTypeTest {

    @ParameterizedTest
    @EnumSource(NodeType.class)
    void wireNamesRoundTrip(NodeType type) {
        assertThat(NodeType.fromWireName(type.wireName())).contains(type);
    }

    /** The node reference's table names every node type (the OpenAPI text is generated; the reference is written). */
    @ParameterizedTest
    @EnumSource(NodeType.class)
    void theNodeReferenceHasEveryType(NodeType type) throws IOException {
        String readme = Files.readString(Path.of("docs/api/workflows.md"));
        int start = readme.indexOf("\n## Nodes\n");
        assertThat(start).as("the node reference has a Nodes section").isPositive();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        assertThat(section).contains("`" + type.wireName() + "`");
    }

    @Test
    void wireNamesAreTheDocumentedOnes() {
        assertThat(Arrays.stream(NodeType.values()).map(NodeType::wireName)).containsExactly(
                "trigger.manual", "trigger.schedule", "trigger.webhook",
                "http.request", "logic.condition", "logic.switch", "data.set", "data.transform", "flow.delay",
                "flow.merge", "flow.wait",
                "flow.call", "flow.forEach");
    }

    @Test
    void unknownNamesAreEmpty() {
        assertThat(NodeType.fromWireName("HTTP.REQUEST")).isEmpty();
        assertThat(NodeType.fromWireName("HTTP_REQUEST")).isEmpty();
        assertThat(NodeType.fromWireName("")).isEmpty();
        assertThat(NodeType.fromWireName(null)).isEmpty();
    }

    @Test
    void onlyTheTriggerTypesAreTriggers() {
        assertThat(Arrays.stream(NodeType.values()).filter(NodeType::isTrigger))
                .containsExactly(NodeType.TRIGGER_MANUAL, NodeType.TRIGGER_SCHEDULE, NodeType.TRIGGER_WEBHOOK);
    }

    @Test
    void documentationCoversEveryTypeParamAndLimit() {
        String doc = NodeType.documentation();

        for (NodeType type : NodeType.values()) {
            assertThat(doc).contains("- `" + type.wireName() + "`:");
        }
        assertThat(doc).contains("`url`", "`method`", "`headers`", "`body`", "`timeoutSeconds`", "`connectionId`",
                "`left`", "`operator`", "`right`", "`values`", "`seconds`", "`expression`", "`cases`",
                "1 to 50 cases", "at most 4096 characters", "\"case:<name>\"", "flowline.engine.expression-cost-limit",
                "at most 100 nodes", "500 edges", "2048 characters", "at most 50 headers", "integer 1-120",
                "default 30", "integer 1-604800", "`GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`",
                "`eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `contains`, `exists`, `not_exists`",
                "PUT /workflows/{id}/schedule", "{{input.path}}", "{{nodes.<nodeId>.path}}",
                "`workflowId`", "`items`", "`concurrency`", "`mode`", "`failFast`", "`all`", "integer 1-2592000",
                "default 86400", "integer 1-50", "flowline.engine.max-call-depth", "flowline.engine.max-items");
        assertThat(doc).doesNotContain("%");
    }
}
