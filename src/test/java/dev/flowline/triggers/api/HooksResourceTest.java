package dev.flowline.triggers.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook resource is one instance for the application (not made and injected for every delivery), so it may hold
 * no state of a request: its only fields are injected application-scoped services.
 */
class HooksResourceTest {

    @Test
    void oneInstanceServesEveryDeliveryAndHoldsOnlyApplicationScopedServices() {
        assertThat(HooksResource.class).hasAnnotation(ApplicationScoped.class);
        assertThat(Arrays.stream(HooksResource.class.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers())))
                .isNotEmpty()
                .allSatisfy(field -> {
                    assertThat(field.isAnnotationPresent(Inject.class)).as(field.getName() + " is injected").isTrue();
                    assertThat(field.getType().isAnnotationPresent(ApplicationScoped.class))
                            .as(field.getName() + " is application-scoped").isTrue();
                });
    }

    @Test
    void preferWaitIsReadAndCapped() {
        assertThat(HooksResource.requestedWait("respond-async, wait=5")).contains(5);
        assertThat(HooksResource.requestedWait("wait=600")).contains(HooksResource.MAX_WAIT_SECONDS);
        assertThat(HooksResource.requestedWait("handling=lenient")).isEmpty();
    }
}
