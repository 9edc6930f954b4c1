package dev.flowline.platform.rest;

import dev.flowline.triggers.api.HooksResource;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which parameters {@link ParameterCheckFilter} looks at: the path and query parameters of a type JAX-RS converts
 * (numbers, booleans, UUIDs, enums), read from the method's annotations once (the JDK parses them again at every
 * {@code Parameter.getAnnotations()}: a cost on every request), not text, headers or bodies.
 */
class ParameterCheckFilterTest {

    enum Color { RED }

    @SuppressWarnings("unused")
    static class Resource {
        public void list(@PathParam("workspaceId") UUID workspace, @PathParam("name") String name,
                         @QueryParam("limit") Integer limit, @QueryParam("color") Color color,
                         @QueryParam("all") boolean all, @HeaderParam("X-Count") int header, byte[] body) {
        }

        public void text(@PathParam("webhookId") String webhookId, @QueryParam("q") String query) {
        }
    }

    private final ParameterCheckFilter filter = new ParameterCheckFilter();

    @Test
    void onlyPathAndQueryParametersOfConvertedTypesAreCheckedInTheirOrderReadOnce() {
        Method list = Arrays.stream(Resource.class.getMethods()).filter(m -> m.getName().equals("list")).findFirst()
                .orElseThrow();

        assertThat(filter.convertedParameters(list)).containsExactly(
                new ParameterCheckFilter.Converted("Path", "workspaceId", UUID.class),
                new ParameterCheckFilter.Converted("Query", "limit", Integer.class),
                new ParameterCheckFilter.Converted("Query", "color", Color.class),
                new ParameterCheckFilter.Converted("Query", "all", boolean.class));
        assertThat(filter.convertedParameters(list)).as("kept, not read again")
                .isSameAs(filter.convertedParameters(list));
    }

    @Test
    void aWebhookHasNoParameterToCheck() {
        Method deliver = Arrays.stream(HooksResource.class.getMethods()).filter(m -> m.getName().equals("deliver"))
                .findFirst().orElseThrow();

        assertThat(filter.convertedParameters(deliver)).as("a webhook's id is text").isEmpty();
    }
}
