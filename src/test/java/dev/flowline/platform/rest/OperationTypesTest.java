package dev.flowline.platform.rest;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OperationTypesTest {

    @Test
    void everyResourceMethodIsFoundByItsOperationId() {
        Map<String, Method> methods = OperationTypes.resourceMethods();

        assertThat(methods).containsKeys("signup", "listRuns", "createWorkflow", "deliverWebhook", "listMyInvitations");
        assertThat(methods.get("listRuns").getDeclaringClass().getSimpleName()).isEqualTo("RunsResource");
        assertThat(methods).hasSizeGreaterThan(50);
    }
}
